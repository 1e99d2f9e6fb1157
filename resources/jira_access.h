// What every resource and data source shares: the provider data that Configure hands out,
// access to the Jira client with Terraform's cancellation, and the translation of Jira
// errors into diagnostics.
#pragma once

#include <any>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "provider/core/cancel.h"
#include "provider/core/diagnostics.h"
#include "provider/jira/client.h"
#include "resources/group_member_cache.h"

namespace tfjira {

// The provider's Configure result, shared by every resource and data source instance.
struct ProviderData {
  std::shared_ptr<jira::Client> client;
  // Read once from serverInfo when the provider is configured; version-dependent behaviour
  // (see SupportsActiveOverRest) is decided from it.
  jira::ServerInfo server;
  // Group member pages shared by the reads of this provider configuration.
  std::shared_ptr<GroupMemberCache> member_cache = std::make_shared<GroupMemberCache>();
};

// Jira's version from serverInfo's versionNumbers ([9, 12, 2]), compared with major.minor.
// An unknown version (empty) counts as new enough: it is refused earlier when it matters.
bool VersionAtLeast(const std::vector<int>& version_numbers, int major, int minor);
// Jira before 8.3 cannot change `active` over PUT /user (JRASERVER-37294; honoured from 8.3).
bool SupportsActiveOverRest(const jira::ServerInfo& server);
// "9.12.2", or the version string when versionNumbers is missing.
std::string VersionText(const jira::ServerInfo& server);

// Holds the client a resource was configured with. An empty std::any (provider
// configuration still unknown during plan) is fine until Jira must actually be called.
class JiraAccess {
 public:
  void Configure(const std::any& provider_data, tf::Diagnostics& diags);
  // The client bound to `cancel`, or null with an error diagnostic saying why Jira cannot
  // be reached yet.
  std::shared_ptr<jira::Client> Client(const tf::CancelToken& cancel, tf::Diagnostics& diags) const;
  bool configured() const { return data_ != nullptr; }
  // What serverInfo said when the provider was configured; null before that.
  const jira::ServerInfo* Server() const { return data_ ? &data_->server : nullptr; }
  // The provider configuration's group member cache; null until configured.
  GroupMemberCache* member_cache() const { return data_ ? data_->member_cache.get() : nullptr; }

 private:
  std::shared_ptr<const ProviderData> data_;
};

// Maps Jira's field names (errors.username) to our attribute names (name).
using FieldMap = std::map<std::string, std::string>;

// Adds one error diagnostic per Jira field error (at the mapped attribute path when the
// field is known) or one general error with Jira's own message.
void AddJiraError(tf::Diagnostics& diags, const std::string& summary, const jira::Error& error,
                  const FieldMap& fields = {});

// Jira's name comparison: these forward to text::EqualsIgnoreCase / text::JiraLowerCase
// (ICU, see provider/text/unicode.h); new code should call those directly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);

// True for failures after which a create may still have happened in Jira (the request
// reached Jira but the answer was lost): the caller must look before reporting failure.
bool MayHaveBeenApplied(const jira::Error& error);

}  // namespace tfjira

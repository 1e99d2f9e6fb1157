// Jira Data Center behind a load balancer (emulator --nodes 2): without cookies a write on one
// node is read stale from the other (the "Cannot list the grants of permission scheme"
// right after creating it), while the provider keeps one node for a whole run through the
// affinity cookie, whichever the balancer routes on (JSESSIONID, ROUTEID, AWSALB), and every
// resource applies, plans empty and destroys. The replication delay here outlasts the test,
// so any read that strayed to the other node would be stale.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraClusterTest : public JiraScenario {
 protected:
  void StartCluster(const std::string& balancer_cookie) {
    emulator::Options o;
    o.nodes = 2;
    o.replication_delay = std::chrono::minutes(10);
    o.balancer_cookie = balancer_cookie;
    StartEmulator(o);
  }

  // Every resource type, chained the way the GitLab integration uses them.
  void Configure(Workspace& ws) {
    ws.SetResource("jira_user", "gitlab",
                   {{"name", S("gitlab")}, {"email", S("gitlab@example.com")},
                    {"display_name", S("GitLab integration")}, {"password", S("GitLab-s3cret")}});
    ws.SetResource("jira_user", "alice", {{"name", S("alice")}, {"email", S("alice@example.com")}});
    ws.SetResource("jira_group", "developers", {{"name", S("gitlab-developers")}});
    ws.SetResource("jira_group", "reviewers", {{"name", S("gitlab-reviewers")}});
    ws.SetResource("jira_group_membership", "gitlab",
                   {{"group", Ref("jira_group.developers", "name")},
                    {"username", Ref("jira_user.gitlab", "name")}});
    ws.SetResource("jira_group_members", "reviewers",
                   {{"group", Ref("jira_group.reviewers", "name")},
                    {"usernames", tf::Value::Set(tf::Type::String(), {S("alice")})}});
    ws.SetResource(
        "jira_permission_scheme", "gitlab",
        {{"name", S("GitLab integration")},
         {"grant", ws.Blocks("jira_permission_scheme", "grant",
                             {{{"permission", S("ADMINISTER_PROJECTS")},
                               {"holder_type", S("group")},
                               {"holder_parameter", Ref("jira_group.developers", "name")}}})}});
    ws.SetResource("jira_permission_scheme_grant", "browse",
                   {{"scheme_id", S("0")},
                    {"permission", S("BROWSE_PROJECTS")},
                    {"holder_type", S("group")},
                    {"holder_parameter", Ref("jira_group.reviewers", "name")}});
    ws.SetResource("jira_project_permission_scheme", "gl",
                   {{"project_key", S("GL")},
                    {"scheme_id", Ref("jira_permission_scheme.gitlab", "id")}});
  }

  // Requests served per node so far (before the administrator's checks add their own).
  std::map<std::string, int64_t> Served() {
    std::map<std::string, int64_t> out;
    const nlohmann::json stats = emu().Stats();
    if (!stats.contains("nodes")) return out;
    for (const auto& [node, n] : stats["nodes"].items()) out[node] = n.get<int64_t>();
    return out;
  }
};

TEST_P(JiraClusterTest, WithoutCookiesAWriteIsReadStaleFromTheOtherNode) {
  StartCluster("");
  jira::ClientConfig c;
  c.base_url = emu().url();
  c.username = "admin";
  c.password = "admin";
  c.max_retries = 0;
  c.keep_cookies = false;  // a client behind a balancer that does not keep it on one node
  auto client = jira::NewBeastClient(c);
  ASSERT_TRUE(client.ok());
  jira::PermissionScheme s;
  s.name = "GitLab integration";
  auto created = client.value()->CreatePermissionScheme(s);  // node1
  ASSERT_TRUE(created.ok()) << created.error().Message();
  auto grants = client.value()->ListGrants(created->id);     // node2
  ASSERT_FALSE(grants.ok());
  EXPECT_EQ(grants.error().kind, jira::ErrorKind::kNotFound);
  EXPECT_EQ(Served(), (std::map<std::string, int64_t>{{"node1", 1}, {"node2", 1}}));
}

TEST_P(JiraClusterTest, TheProviderStaysOnOneNodeWhateverTheBalancerRoutesOn) {
  for (const std::string cookie : {"", "ROUTEID", "AWSALB"}) {
    SCOPED_TRACE("balancer cookie '" + cookie + "'");
    StartCluster(cookie);
    auto ws = NewWorkspace();
    Configure(*ws);
    TFJ_ASSERT_OK(ws->Apply());
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
    auto served = Served();
    EXPECT_EQ(served.size(), 1u) << "the run moved between nodes: " << emu().Stats().dump();

    // Jira (the database) holds what state says.
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
    EXPECT_TRUE(IsMember("gitlab-reviewers", "alice"));
    auto assigned = Admin().GetProjectPermissionScheme("GL");
    ASSERT_TRUE(assigned.ok());
    EXPECT_EQ(std::to_string(assigned->id), ws->AttrString("jira_permission_scheme.gitlab", "id"));

    // Drift by hand is seen and repaired through the same node.
    ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-reviewers", "alice").ok());
    TFJ_ASSERT_OK(ws->Apply());
    EXPECT_EQ(ActionOf(*ws, "jira_group_members.reviewers"), "update");
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
    EXPECT_TRUE(IsMember("gitlab-reviewers", "alice"));

    // A project always has a scheme: the assignment's destroy is checked through REST.
    ws->RemoveResource("jira_project_permission_scheme", "gl");
    TFJ_ASSERT_OK(ws->Apply());
    EXPECT_EQ(Admin().GetProjectPermissionScheme("GL")->id, 0);
    TFJ_ASSERT_OK(ws->Destroy());
    EXPECT_FALSE(UserExists("gitlab"));
    EXPECT_FALSE(GroupExists("gitlab-developers"));
    EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
    ws->Stop();
  }
}

TFJ_INSTANTIATE_PROTOCOLS(JiraClusterTest);

}  // namespace
}  // namespace tfjira::scenarios

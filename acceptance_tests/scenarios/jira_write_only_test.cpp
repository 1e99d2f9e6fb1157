// jira_user's write-only password (Terraform 1.11+) under protocols 5 and 6: the harness
// holds the provider to Terraform's rule that write-only values come back null from every
// call, and the password is checked by signing in to the emulator with it.
#include "acceptance_tests/harness/rules.h"
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraWriteOnlyTest : public JiraScenario {
 protected:
  Attrs User(const std::string& password, int64_t version) {
    return {{"name", S("gitlab")},
            {"email", S("gitlab@example.com")},
            {"password_wo", S(password)},
            {"password_wo_version", tf::Value::Int(version)}};
  }
  // GET /rest/api/2/myself with basic auth as the user.
  bool SignsIn(const std::string& name, const std::string& password) {
    jira::ClientConfig c;
    c.base_url = emu().url();
    c.username = name;
    c.password = password;
    c.max_retries = 0;
    auto as_user = jira::NewBeastClient(c);
    if (!as_user.ok()) return false;
    auto me = as_user.value()->GetMyself();
    return me.ok() && me->name == name;
  }
};

TEST_P(JiraWriteOnlyTest, SchemaMarksPasswordWoWriteOnlyAndSensitive) {
  auto ws = NewWorkspace();
  const tf::Schema* schema = ws->driver().ResourceSchema("jira_user");
  ASSERT_NE(schema, nullptr);
  const tf::Attribute* wo = schema->block.FindAttribute("password_wo");
  ASSERT_NE(wo, nullptr);
  EXPECT_TRUE(wo->write_only);
  EXPECT_TRUE(wo->sensitive);
  EXPECT_TRUE(wo->optional);
  const tf::Attribute* version = schema->block.FindAttribute("password_wo_version");
  ASSERT_NE(version, nullptr);
  EXPECT_FALSE(version->write_only);
  EXPECT_FALSE(schema->block.FindAttribute("password")->write_only);
}

TEST_P(JiraWriteOnlyTest, CreateRotateAndNeverStore) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", User("First-s3cret", 1));
  TFJ_ASSERT_OK(ws->Apply());  // every write-only rule is checked on each call
  EXPECT_TRUE(ws->Attr("jira_user.gitlab", "password_wo").is_null());
  EXPECT_TRUE(ws->Attr("jira_user.gitlab", "password").is_null());
  EXPECT_EQ(ws->Attr("jira_user.gitlab", "password_wo_version"), tf::Value::Int(1));
  EXPECT_TRUE(SignsIn("gitlab", "First-s3cret"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // A new value alone is no change (Terraform cannot compare write-only values) ...
  ws->SetResource("jira_user", "gitlab", User("Second-s3cret", 1));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  // ... a new version sets it, in place.
  std::string key = ws->AttrString("jira_user.gitlab", "key");
  ws->SetResource("jira_user", "gitlab", User("Second-s3cret", 2));
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "key"), key);
  EXPECT_TRUE(SignsIn("gitlab", "Second-s3cret"));
  EXPECT_FALSE(SignsIn("gitlab", "First-s3cret"));
  EXPECT_TRUE(ws->Attr("jira_user.gitlab", "password_wo").is_null());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Import and read return it null too.
  TFJ_ASSERT_OK(ws->ImportStateVerify("jira_user.gitlab", "gitlab", {"notify", "password_wo_version"}));
  TFJ_ASSERT_OK(ws->Destroy());
}

TEST_P(JiraWriteOnlyTest, PasswordAndPasswordWoConflict) {
  auto ws = NewWorkspace();
  Attrs both = User("Wo-s3cret", 1);
  both["password"] = S("Plain-s3cret");
  ws->SetResource("jira_user", "gitlab", both);
  tfj::harness::Status s = ws->Apply();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Conflicting password attributes"), std::string::npos) << s;
  const auto& diags = ws->last_diagnostics();
  ASSERT_FALSE(diags.items().empty());
  ASSERT_TRUE(diags.items()[0].path.has_value());
  EXPECT_EQ(diags.items()[0].path->ToString(), "password_wo");
  EXPECT_FALSE(UserExists("gitlab"));
}

TEST_P(JiraWriteOnlyTest, TerraformWithoutWriteOnlySupportGetsAClearError) {
  auto ws = NewWorkspace();
  ws->driver().SetWriteOnlyAttributesAllowed(false);  // as Terraform 1.10 and older
  ws->SetResource("jira_user", "gitlab", User("Wo-s3cret", 1));
  tfj::harness::Status s = ws->Apply();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Write-only Attribute Not Allowed"), std::string::npos) << s;
  EXPECT_NE(s.message().find("Terraform 1.11"), std::string::npos) << s;
  EXPECT_EQ(s.message().find("Wo-s3cret"), std::string::npos) << "the secret must not be echoed";
  EXPECT_FALSE(UserExists("gitlab"));
  // Without password_wo the same Terraform is fine.
  ws->SetResource("jira_user", "gitlab", {{"name", S("gitlab")}, {"email", S("gitlab@example.com")}});
  TFJ_ASSERT_OK(ws->Apply());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraWriteOnlyTest);

}  // namespace
}  // namespace tfjira::scenarios

#include "acceptance_tests/emulator/i18n.h"

#include <map>

namespace emulator {

namespace {

struct Entry {
  const char* en;
  const char* de;
};

// English texts are those the emulator has always answered (sources noted where they are
// used). German texts are our own renderings in the register of Jira's German bundle; only the
// language matters to clients, which must never match on wording.
const std::map<std::string_view, Entry>& Catalogue() {
  static const std::map<std::string_view, Entry> kTexts = {
      // ---- authentication and authorisation
      {"auth.required",
       {"You are not authenticated. Authentication required to perform this operation.",
        "Sie sind nicht angemeldet. Für diesen Vorgang ist eine Authentifizierung erforderlich."}},
      {"auth.client.required",
       {"Client must be authenticated to access this resource.",
        "Der Client muss authentifiziert sein, um auf diese Ressource zuzugreifen."}},
      {"auth.admin.required",
       {"You are not authorized to perform this operation. Jira administrator rights are "
        "required.",
        "Sie sind nicht berechtigt, diesen Vorgang auszuführen. Jira-Administratorrechte sind "
        "erforderlich."}},
      {"auth.create.user.denied",
       {"You do not have permission to create a user.",
        "Sie haben keine Berechtigung, einen Benutzer anzulegen."}},
      {"request.json.invalid",
       {"Unexpected character in JSON body: {0}", "Unerwartetes Zeichen im JSON-Inhalt: {0}"}},
      {"request.body.not.object",
       {"Request body must be a JSON object.", "Der Anfrageinhalt muss ein JSON-Objekt sein."}},
      // ---- users
      {"user.not.found",
       {"The user named '{0}' does not exist", "Der Benutzer '{0}' existiert nicht"}},
      {"user.key.not.found",
       {"The user with the key '{0}' does not exist",
        "Der Benutzer mit dem Schlüssel '{0}' existiert nicht"}},
      {"user.name.and.key",
       {"You must specify either a username or a key, not both.",
        "Geben Sie entweder einen Benutzernamen oder einen Schlüssel an, nicht beides."}},
      {"user.name.empty",
       {"You must specify a username.", "Sie müssen einen Benutzernamen angeben."}},
      {"user.name.chars",
       {"The username must not contain '<', '>' or '&'.",
        "Der Benutzername darf weder '<' noch '>' noch '&' enthalten."}},
      {"user.name.length",
       {"The username must not exceed 255 characters in length.",
        "Der Benutzername darf höchstens 255 Zeichen lang sein."}},
      {"user.exists",
       {"A user with that username already exists.",
        "Ein Benutzer mit diesem Benutzernamen existiert bereits."}},
      {"user.email.empty",
       {"You must specify an email address.", "Sie müssen eine E-Mail-Adresse angeben."}},
      {"user.email.length",
       {"The email address must not exceed 255 characters in length.",
        "Die E-Mail-Adresse darf höchstens 255 Zeichen lang sein."}},
      {"user.email.invalid",
       {"You must specify a valid email address.",
        "Sie müssen eine gültige E-Mail-Adresse angeben."}},
      {"user.fullname.empty",
       {"You must specify a full name.", "Sie müssen einen vollständigen Namen angeben."}},
      {"user.fullname.length",
       {"The full name must not exceed 255 characters in length.",
        "Der vollständige Name darf höchstens 255 Zeichen lang sein."}},
      {"user.deactivate.self",
       {"You cannot deactivate the currently logged in user.",
        "Sie können den aktuell angemeldeten Benutzer nicht deaktivieren."}},
      {"user.deactivate.lead",
       {"The user '{0}' cannot be deactivated because they are the lead of projects: {1}",
        "Der Benutzer '{0}' kann nicht deaktiviert werden, da er die folgenden Projekte "
        "leitet: {1}"}},
      {"user.delete.self",
       {"You cannot delete the currently logged in user.",
        "Sie können den aktuell angemeldeten Benutzer nicht löschen."}},
      {"user.delete.lead",
       {"Cannot delete user '{0}' because they are currently the project lead on {1} projects",
        "Der Benutzer '{0}' kann nicht gelöscht werden, da er derzeit {1} Projekte leitet"}},
      {"user.delete.reported",
       {"Cannot delete user '{0}' because {1} issues have been reported by this user",
        "Der Benutzer '{0}' kann nicht gelöscht werden, da er {1} Vorgänge gemeldet hat"}},
      {"user.delete.assigned",
       {"Cannot delete user '{0}' because {1} issues are assigned to this user",
        "Der Benutzer '{0}' kann nicht gelöscht werden, da ihm {1} Vorgänge zugewiesen sind"}},
      {"user.delete.commented",
       {"Cannot delete user '{0}' because they have made {1} comments",
        "Der Benutzer '{0}' kann nicht gelöscht werden, da er {1} Kommentare verfasst hat"}},
      {"user.search.no.username",
       {"The username query parameter was not provided",
        "Der Abfrageparameter username wurde nicht angegeben"}},
      // ---- groups
      {"group.not.found",
       {"The group named '{0}' does not exist", "Die Gruppe '{0}' existiert nicht"}},
      {"group.name.empty",
       {"You must specify a group name.", "Sie müssen einen Gruppennamen angeben."}},
      {"group.exists",
       {"A group or user with this name already exists.",
        "Eine Gruppe oder ein Benutzer mit diesem Namen existiert bereits."}},
      {"group.swap.self",
       {"You cannot swap comments/worklogs to the group you are deleting.",
        "Sie können Kommentare/Arbeitsprotokolle nicht auf die Gruppe übertragen, die Sie "
        "löschen."}},
      {"group.swap.invalid",
       {"The swap group you have specified is not a valid group.",
        "Die angegebene Ersatzgruppe ist keine gültige Gruppe."}},
      {"group.swap.required",
       {"You must specify a group to move comments/worklogs to.",
        "Sie müssen eine Gruppe angeben, in die Kommentare/Arbeitsprotokolle verschoben werden."}},
      {"group.delete.admin",
       {"You cannot delete a group that grants you administration privileges if no other "
        "group exists that also grants you administration privileges.",
        "Sie können keine Gruppe löschen, die Ihnen Administrationsrechte gewährt, wenn keine "
        "andere Gruppe existiert, die Ihnen ebenfalls Administrationsrechte gewährt."}},
      {"group.add.no.user",
       {"Cannot add user. '{0}' does not exist",
        "Benutzer kann nicht hinzugefügt werden. '{0}' existiert nicht"}},
      {"group.add.member",
       {"Cannot add user '{0}', user is already a member of '{1}'",
        "Der Benutzer '{0}' kann nicht hinzugefügt werden, da er bereits Mitglied von '{1}' "
        "ist"}},
      {"group.remove.not.member",
       {"Cannot remove user '{0}' from group '{1}' since user is not a member of '{1}'",
        "Der Benutzer '{0}' kann nicht aus der Gruppe '{1}' entfernt werden, da er kein "
        "Mitglied von '{1}' ist"}},
      {"group.picker.header",
       {"Showing {0} of {1} matching groups", "{0} von {1} passenden Gruppen werden angezeigt"}},
      // ---- permission schemes
      {"scheme.not.found",
       {"The permission scheme with id '{0}' does not exist.",
        "Das Berechtigungsschema mit der ID '{0}' existiert nicht."}},
      {"scheme.name.empty",
       {"The permission scheme name must not be empty.",
        "Der Name des Berechtigungsschemas darf nicht leer sein."}},
      {"scheme.exists",
       {"A Scheme with this name already exists.",
        "Ein Schema mit diesem Namen existiert bereits."}},
      {"scheme.default.delete",
       {"The default permission scheme cannot be deleted.",
        "Das Standard-Berechtigungsschema kann nicht gelöscht werden."}},
      {"scheme.id.required",
       {"The permission scheme id must be specified.",
        "Die ID des Berechtigungsschemas muss angegeben werden."}},
      {"grant.not.found",
       {"The permission grant with id '{0}' does not exist in the permission scheme.",
        "Die Berechtigung mit der ID '{0}' existiert im Berechtigungsschema nicht."}},
      {"grant.list.not.array",
       {"'permissions' must be an array of permission grants.",
        "'permissions' muss eine Liste von Berechtigungen sein."}},
      {"grant.not.object",
       {"A permission grant must be an object with 'holder' and 'permission'.",
        "Eine Berechtigung muss ein Objekt mit 'holder' und 'permission' sein."}},
      {"grant.global",
       {"Global permission '{0}' cannot be granted in a permission scheme.",
        "Die globale Berechtigung '{0}' kann nicht in einem Berechtigungsschema vergeben "
        "werden."}},
      {"grant.permission.unknown",
       {"Permission with key '{0}' does not exist.",
        "Die Berechtigung mit dem Schlüssel '{0}' existiert nicht."}},
      {"grant.type.invalid",
       {"Permission type does not exist or is invalid.",
        "Der Berechtigungstyp existiert nicht oder ist ungültig."}},
      {"grant.group.unknown",
       {"Group {0} does not exist", "Die Gruppe {0} existiert nicht"}},
      {"grant.user.invalid",
       {"Please select a valid user.", "Bitte wählen Sie einen gültigen Benutzer aus."}},
      {"grant.role.invalid",
       {"Please select a valid project role.",
        "Bitte wählen Sie eine gültige Projektrolle aus."}},
      {"grant.field.invalid",
       {"Please select a valid custom field.",
        "Bitte wählen Sie ein gültiges benutzerdefiniertes Feld aus."}},
      {"grant.approle.invalid",
       {"Please select a valid application role.",
        "Bitte wählen Sie eine gültige Anwendungsrolle aus."}},
      {"grant.type.not.for.permission",
       {"Selected Permission '{0}' is not valid for '{1}'.",
        "Die ausgewählte Berechtigung '{0}' ist für '{1}' nicht gültig."}},
      {"project.not.found",
       {"No project could be found with key '{0}'.",
        "Es wurde kein Projekt mit dem Schlüssel '{0}' gefunden."}},
      // ---- applications
      {"application.unknown",
       {"The application with key '{0}' does not exist.",
        "Die Anwendung mit dem Schlüssel '{0}' existiert nicht."}},
      {"application.role.not.found",
       {"The application role with key '{0}' does not exist.",
        "Die Anwendungsrolle mit dem Schlüssel '{0}' existiert nicht."}},
      {"application.seats.exceeded",
       {"The license for '{0}' allows {1} users and they are all in use. Adding the user would "
        "exceed the license limit.",
        "Die Lizenz für '{0}' erlaubt {1} Benutzer, die alle belegt sind. Das Hinzufügen des "
        "Benutzers würde das Lizenzlimit überschreiten."}},
  };
  return kTexts;
}

}  // namespace

bool ParseLanguage(std::string_view text, Language* out) {
  if (text == "en" || text == "en_US" || text == "en_GB") {
    *out = Language::kEnglish;
    return true;
  }
  if (text == "de" || text == "de_DE") {
    *out = Language::kGerman;
    return true;
  }
  return false;
}

const char* LocaleOf(Language language) {
  return language == Language::kGerman ? "de_DE" : "en_US";
}

std::string Text(Language language, std::string_view id, const std::vector<std::string>& args) {
  const auto& catalogue = Catalogue();
  auto it = catalogue.find(id);
  if (it == catalogue.end()) return std::string(id);
  std::string_view pattern = language == Language::kGerman ? it->second.de : it->second.en;
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      size_t n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < args.size()) out += args[n];
      i += 2;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

bool HasText(std::string_view id) { return Catalogue().count(id) > 0; }

}  // namespace emulator

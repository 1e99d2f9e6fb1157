# Import adopts a permission scheme that already exists in YOUR Jira, with all its grants:
# replace 10100 with the id of your own scheme, since Terraform manages (and may rename,
# re-grant or delete) whatever it imports. To find the id, read it from the
# jira_permission_scheme data source (look the scheme up by name and output its id), or
# from GET /rest/api/2/permissionscheme, or from the schemeId in the address of the
# scheme's page in Jira's administration.
terraform import jira_permission_scheme.gitlab 10100

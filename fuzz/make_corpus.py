#!/usr/bin/env python3
"""Writes the seed corpora of the fuzzers (fuzz/corpus/<fuzzer>/): small valid inputs in each
fuzzer's input format (see the comment at the top of each *_fuzzer.cpp).

DynamicValue seeds follow the provider's schemas as docs/ describes them (the docs are
generated from the schemas, and DocsTest keeps them in sync), so they change with the
schemas when this script is re-run:  python3 fuzz/make_corpus.py
"""
import base64
import json
import os
import re
import shutil
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")


# ---------------------------------------------------------------- msgpack, as Terraform writes it
def mp(v):
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"\xcb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        if len(b) < 32:
            return bytes([0xA0 | len(b)]) + b
        return b"\xd9" + bytes([len(b)]) + b
    if isinstance(v, bytes):  # a ready-made encoding (unknown values)
        return v
    if isinstance(v, list):
        return bytes([0x90 | len(v)]) + b"".join(mp(x) for x in v)
    if isinstance(v, dict):
        return bytes([0x80 | len(v)]) + b"".join(mp(k) + mp(x) for k, x in sorted(v.items()))
    raise TypeError(v)


UNKNOWN = b"\xd4\x00\x00"  # cty's unknown value: fixext1, type 0


# ---------------------------------------------------------------- schemas from docs/
def doc_schema(path):
    """{attribute: type text}, nested block attributes under their block's name."""
    attrs, nested, current = {}, {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                current = None
            m = re.match(r"^### Nested Schema for `([^`]+)`", line)
            if m:
                current = m.group(1)
                nested[current] = {}
                continue
            m = re.match(r"^\| `([^`]+)` \| ([^|]+?) \|", line)
            if m:
                (nested[current] if current else attrs)[m.group(1)] = m.group(2)
    return attrs, nested


def sample(name, type_text, nested):
    t = type_text.strip()
    if t == "String":
        return {"email": "alice@example.com", "id": "10100"}.get(name, name + "-value")
    if t == "Number":
        return 50
    if t == "Boolean":
        return True
    if t.startswith("List of") or t.startswith("Set of String"):
        return ["one", "two"]
    if t.startswith("Block"):
        block = nested.get(name, {})
        return [{k: sample(k, v, {}) for k, v in block.items()}]
    return []  # Set of Object: an empty set


def write(fuzzer, name, data):
    d = os.path.join(OUT, fuzzer)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def registered(kind):
    """Docs pages of the registered resources or data sources, in resources/all.cpp's order
    (NewGroupMembersResource -> resources/group_members.md)."""
    with open(os.path.join(ROOT, "resources", "all.cpp"), encoding="utf-8") as f:
        src = f.read()
    suffix, folder = ("Resource", "resources") if kind == "resources" else ("DataSource", "data-sources")
    body = src[src.index("All%s()" % ("Resources" if kind == "resources" else "DataSources")):]
    body = body[:body.index("}")]
    names = re.findall(r"New(\w+?)%s\b" % suffix, body)
    return ["%s/%s.md" % (folder, re.sub(r"(?<!^)([A-Z])", r"_\1", n).lower()) for n in names]


def dynamic_value_seeds():
    # Schema order as the fuzzer builds it: provider, resources, data sources (resources/all.cpp).
    docs = ["index.md"] + registered("resources") + registered("data-sources")
    for i, doc in enumerate(docs):
        attrs, nested = doc_schema(os.path.join(ROOT, "docs", doc))
        full = {k: sample(k, v, nested) for k, v in attrs.items()}
        tag = os.path.splitext(doc.replace("/", "_"))[0]
        write("dynamic_value_fuzzer", "%s-msgpack" % tag, bytes([i, 0]) + mp(full))
        write("dynamic_value_fuzzer", "%s-msgpack-nulls" % tag,
              bytes([i, 0]) + mp({k: None for k in attrs}))
        if "id" in attrs:
            write("dynamic_value_fuzzer", "%s-msgpack-unknown-id" % tag,
                  bytes([i, 0]) + mp(dict(full, id=UNKNOWN)))
        write("dynamic_value_fuzzer", "%s-json" % tag, bytes([i, 1]) + json.dumps(full).encode())
        write("dynamic_value_fuzzer", "%s-json-older" % tag,
              bytes([i, 2]) + json.dumps(dict(full, removed_attribute="x")).encode())
    dyn = len(docs)  # Type::Dynamic(), then Map(Dynamic)
    write("dynamic_value_fuzzer", "dynamic-string", bytes([dyn, 0]) + mp([b'\xa8"string"', "hi"]))
    write("dynamic_value_fuzzer", "dynamic-list", bytes([dyn, 0]) +
          mp([mp(json.dumps(["list", "number"])), [1, 2.5]]))
    write("dynamic_value_fuzzer", "dynamic-object", bytes([dyn, 0]) +
          mp([mp(json.dumps(["object", {"a": "string", "b": ["set", "bool"]}])),
              {"a": "x", "b": [True]}]))
    write("dynamic_value_fuzzer", "map-dynamic", bytes([dyn + 1, 0]) +
          mp({"k": [mp(json.dumps(["tuple", ["string", "number"]])), ["s", 7]]}))
    write("dynamic_value_fuzzer", "dynamic-json", bytes([dyn, 1]) +
          json.dumps({"value": [1, 2], "type": ["list", "number"]}).encode())
    # Numbers beyond int64 and float64, exact doubles among them (a fixed finding).
    write("dynamic_value_fuzzer", "dynamic-json-big-numbers", bytes([dyn, 1]) +
          b'{"value": [1666666666666666793632700301312, 9223372036854775808, 18446744073709551616,'
          b' 666666666666666.666666666666666666666666666666666666, 1e400, -1e-30, 0.1, 2],'
          b' "type": ["list", "number"]}')
    for n, t in enumerate(['"string"', '["map",["object",{"a":"number"}]]',
                           '["tuple",["bool","dynamic"]]', '"dynamic"']):
        write("dynamic_value_fuzzer", "type-json-%d" % n, bytes([0, 3]) + t.encode())


def jira_response():
    user = {"self": "http://jira/rest/api/2/user?username=alice", "key": "JIRAUSER10100",
            "name": "alice", "emailAddress": "alice@example.com", "displayName": "Alice",
            "active": True, "timeZone": "UTC", "locale": "en_US",
            "groups": {"size": 1, "items": [{"name": "jira-users"}]}}
    grant = {"id": 10200, "holder": {"type": "group", "parameter": "jira-users",
                                     "expand": "group"}, "permission": "BROWSE_PROJECTS"}
    scheme = {"id": 10000, "name": "Default Permission Scheme", "description": "d",
              "permissions": [grant]}
    project = {"expand": "description,lead", "self": "http://jira/rest/api/2/project/10000",
               "id": "10000", "key": "TEST", "name": "Test", "description": "d",
               "lead": {"name": "admin", "key": "JIRAUSER10000"}, "projectTypeKey": "software",
               "projectCategory": {"id": "10100", "name": "Internal"}}
    bodies = [
        {"baseUrl": "http://jira", "version": "9.12.2", "versionNumbers": [9, 12, 2],
         "deploymentType": "Server", "buildNumber": 9120002, "serverTitle": "Jira"},
        user,
        [user, dict(user, name="bob", key="bob")],
        {"self": "x", "maxResults": 50, "startAt": 0, "total": 2, "isLast": False,
         "values": [user]},
        grant,
        scheme,
        {"permissions": {"BROWSE_PROJECTS": {"id": "10", "key": "BROWSE_PROJECTS",
                                             "name": "Browse Projects", "type": "PROJECT",
                                             "havePermission": True}}},
        {"header": "Showing 1 of 1 matching groups", "total": 1,
         "groups": [{"name": "jira-users", "html": "<b>jira</b>-users", "labels": []}]},
        {"permissionSchemes": [scheme], "permissions": [grant]},
        project,
        [project, {"id": 10001, "key": "OPS", "name": "Ops", "projectTypeKey": "business",
                   "lead": {"name": "bob"}}],
    ]
    for i, b in enumerate(bodies):
        write("jira_response_fuzzer", "reader-%d" % i, bytes([i, 0]) + json.dumps(b).encode())
    errors = [
        (0, '{"errorMessages":[],"errors":{"username":"A user with that username already exists."}}'),
        (0, '{"errorMessages":["Cannot add user \'a\', user is already a member of \'g\'"],"errors":{}}'),
        (3, '{"status-code":404,"message":"null for uri: http://jira/rest/api/2/x"}'),
        (3 + 14 * 2, '<?xml version="1.0"?><status><status-code>404</status-code>'
                     '<message>Not &amp; found</message></status>'),
        (1, '{"errorMessage":"Login failed"}\0AUTHENTICATED_FAILED\nCAPTCHA_CHALLENGE; login-url=x'),
        (0, '"Cannot remove user \'a\' from group \'g\' since user is not a member of \'g\'"'),
        (8 + 14, '<html><head><title>t</title></head><body><h1>Oops</h1>&lt;500&gt;</body></html>'),
        (7 + 14 * 3, 'Rate limit exceeded ' + 'é' * 200),
    ]
    for i, (sel, body) in enumerate(errors):
        write("jira_response_fuzzer", "error-%d" % i, bytes([0x80, sel]) + body.encode())


def emulator_request():
    admin = "Basic " + base64.b64encode(b"admin:admin").decode()
    def req(method, target, body=None, auth=admin, extra=""):
        head = "%s %s HTTP/1.1\r\nHost: jira\r\n" % (method, target)
        if auth:
            head += "Authorization: %s\r\n" % auth
        head += extra
        if body is not None:
            b = json.dumps(body)
            head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(b.encode())
            return head + "\r\n" + b
        return head + "\r\n"
    seeds = {
        "serverinfo": req("GET", "/rest/api/2/serverInfo", auth=None),
        "myself": req("GET", "/rest/api/2/myself"),
        "myself-token": req("GET", "/rest/api/2/myself", auth="Bearer fuzz-token"),
        "create-user": req("POST", "/rest/api/2/user", {"name": "bob", "password": "pw",
                                                         "emailAddress": "b@x", "displayName": "Bob"}),
        "get-user": req("GET", "/rest/api/2/user?username=alice&expand=groups"),
        "update-user": req("PUT", "/rest/api/2/user?username=alice", {"displayName": "Al"}),
        "password": req("PUT", "/rest/api/2/user/password?username=alice", {"password": "n"}),
        "delete-user": req("DELETE", "/rest/api/2/user?username=alice"),
        "search": req("GET", "/rest/api/2/user/search?username=a%25&startAt=0&maxResults=10"),
        "create-group": req("POST", "/rest/api/2/group", {"name": "qa"}),
        "get-group": req("GET", "/rest/api/2/group?groupname=developers"),
        "delete-group": req("DELETE", "/rest/api/2/group?groupname=developers&swapGroup=jira-users"),
        "members": req("GET", "/rest/api/2/group/member?groupname=jira-users&includeInactiveUsers=true"),
        "picker": req("GET", "/rest/api/2/groups/picker?query=dev&exclude=a&exclude=b&maxResults=5"),
        "add-member": req("POST", "/rest/api/2/group/user?groupname=developers", {"name": "alice"}),
        "remove-member": req("DELETE", "/rest/api/2/group/user?groupname=developers&username=alice"),
        "permissions": req("GET", "/rest/api/2/mypermissions?permissions=ADMINISTER"),
        "schemes": req("GET", "/rest/api/2/permissionscheme?expand=permissions,user"),
        "create-scheme": req("POST", "/rest/api/2/permissionscheme", {
            "name": "S", "description": "d", "permissions": [
                {"holder": {"type": "group", "parameter": "developers"},
                 "permission": "BROWSE_PROJECTS"}]}),
        "get-scheme": req("GET", "/rest/api/2/permissionscheme/0?expand=all"),
        "update-scheme": req("PUT", "/rest/api/2/permissionscheme/0", {"name": "T"}),
        "delete-scheme": req("DELETE", "/rest/api/2/permissionscheme/0"),
        "grants": req("GET", "/rest/api/2/permissionscheme/0/permission"),
        "add-grant": req("POST", "/rest/api/2/permissionscheme/0/permission",
                         {"holder": {"type": "projectLead"}, "permission": "ADMINISTER_PROJECTS"}),
        "get-grant": req("GET", "/rest/api/2/permissionscheme/0/permission/10000"),
        "delete-grant": req("DELETE", "/rest/api/2/permissionscheme/0/permission/10000"),
        "project-scheme": req("GET", "/rest/api/2/project/TEST/permissionscheme"),
        "assign-scheme": req("PUT", "/rest/api/2/project/TEST/permissionscheme", {"id": 0}),
        "bad-password": req("GET", "/rest/api/2/myself",
                            auth="Basic " + base64.b64encode(b"admin:wrong").decode()),
        "stats": req("GET", "/_emulator/stats", auth=None),
        "faults": req("POST", "/_emulator/faults", {"fail_next": 1, "kinds": ["429"]}, auth=None),
        "chunked": "POST /rest/api/2/group HTTP/1.1\r\nHost: j\r\nAuthorization: %s\r\n"
                   "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                   "d\r\n{\"name\":\"zz\"}\r\n0\r\n\r\n" % admin,
    }
    seeds.update({
        "latest-myself": req("GET", "/rest/api/latest/myself"),
        "wrong-method": req("PATCH", "/rest/api/2/user?username=alice"),
        "unknown-route": req("GET", "/rest/api/2/issue/TEST-1"),
        "roles": req("GET", "/rest/api/2/applicationrole"),
        "role": req("GET", "/rest/api/2/applicationrole/jira-software"),
        "add-application": req("POST", "/rest/api/2/user/application?username=alice"
                               "&applicationKey=jira-software"),
        "remove-application": req("DELETE", "/rest/api/2/user/application?username=alice"
                                  "&applicationKey=jira-software"),
        "projects": req("GET", "/rest/api/2/project?expand=lead,description"),
        "get-project": req("GET", "/rest/api/2/project/TEST"),
        "create-project": req("POST", "/rest/api/2/project", {
            "key": "NEW", "name": "New", "projectTypeKey": "software", "lead": "admin",
            "permissionScheme": 0}),
        "delete-project": req("DELETE", "/rest/api/2/project/TEST"),
        "members-page": req("GET", "/rest/api/2/group/member?groupname=jira-administrators"
                            "&startAt=1&maxResults=1"),
        "get-faults": req("GET", "/_emulator/faults", auth=None),
        "reset": req("POST", "/_emulator/reset", auth=None),
        "user-language": req("POST", "/_emulator/user-language",
                             {"username": "alice", "language": "de"}, auth=None),
        "nest": req("POST", "/_emulator/nest", {"child": "developers", "parent": "jira-users"},
                    auth=None),
        "unnest": req("POST", "/_emulator/unnest", {"child": "developers", "parent": "jira-users"},
                      auth=None),
        "seats": req("POST", "/_emulator/seats", {"application": "jira-software", "seats": 1},
                     auth=None),
        "restricted-group": req("POST", "/_emulator/restricted-group",
                                {"group": "developers", "items": 2}, auth=None),
        "user-content": req("POST", "/_emulator/user-content",
                            {"username": "alice", "reported": 1, "assigned": 2, "comments": 3},
                            auth=None),
    })
    # Byte 0 picks the emulator's configuration (emulator_request_fuzzer.cpp, Variant): every
    # seed on the default one, and some on the others, whose API lives under /jira.
    for name, data in seeds.items():
        write("emulator_request_fuzzer", name, b"\0" + data.encode())
    for variant, tag in ((1, "dc10"), (2, "redirect"), (3, "faults")):
        for name in ("myself", "get-user", "search", "get-group", "members", "picker",
                     "delete-group", "create-user", "add-application", "get-scheme",
                     "delete-scheme", "projects", "serverinfo", "bad-password"):
            data = seeds[name]
            if variant != 3:
                data = data.replace(" /rest/", " /jira/rest/", 1)
            write("emulator_request_fuzzer", "%s-%s" % (tag, name), bytes([variant]) + data.encode())
    write("emulator_request_fuzzer", "redirect-outside", b"\x02" + seeds["myself"].encode())
    write("emulator_request_fuzzer", "dc10-tls-stats",
          b"\x81" + seeds["stats"].replace(" /_emulator/", " /jira/_emulator/", 1).encode())


def plugin_env():
    cert_pem = ("-----BEGIN CERTIFICATE-----\n" +
                base64.encodebytes(bytes(range(64))).decode() + "-----END CERTIFICATE-----\n")
    seeds = {
        "cookie": (0, "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"),
        "versions": (1, "5,6"),
        "versions-odd": (1, "x,7, 6 ,"),
        "client-cert": (2, cert_pem),
        "ports": (3, "10000\n25000"),
        "reattach": (4, "TF_REATTACH_PROVIDERS='" + json.dumps({
            "registry.terraform.io/tfjira/jira": {
                "Protocol": "grpc", "ProtocolVersion": 6, "Pid": 4242, "Test": True,
                "Addr": {"Network": "unix", "String": "/tmp/tfj-plugin-abc/plugin.sock"}}}) + "'"),
        "handshake": (5, "1|6|unix|/tmp/tfj-plugin-abc/plugin.sock|grpc|" +
                      base64.b64encode(bytes(range(80))).decode().rstrip("=")),
        "handshake-plain": (5, "1|5|tcp|127.0.0.1:10000|grpc|"),
        "socket-group": (6, "4294967294"),
    }
    for name, (sel, value) in seeds.items():
        write("plugin_env_fuzzer", name, bytes([sel]) + value.encode())


def grpc_wire():
    def framed(m):
        return b"\0" + struct.pack(">I", len(m)) + m
    write("grpc_wire_fuzzer", "one", b"\x40" + framed(b"\x0a\x03abc"))
    write("grpc_wire_fuzzer", "two", b"\x40" + framed(b"") + framed(b"\x08\x01"))
    write("grpc_wire_fuzzer", "compressed", b"\x40\x01\0\0\0\x01x")
    write("grpc_wire_fuzzer", "status", b"\x00unknown method /tfplugin6.Provider/Nope \xc3\xa9%")


# ---------------------------------------------------------------- HTTP/2 + gRPC, after TLS
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, END_HEADERS = 0x1, 0x4


def h2frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream) + payload


def hpack_int(value, prefix_bits, first_byte=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = [first_byte | limit]
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def hpack(headers):
    """Literal header fields without indexing, new names, no Huffman coding (RFC 7541 6.2.2)."""
    out = b""
    for name, value in headers:
        n, v = name.encode(), value.encode()
        out += b"\x00" + hpack_int(len(n), 7) + n + hpack_int(len(v), 7) + v
    return out


def grpc_headers(path, content_type="application/grpc"):
    return [(":method", "POST"), (":scheme", "http"), (":path", path),
            (":authority", "127.0.0.1"), ("content-type", content_type), ("te", "trailers"),
            ("grpc-timeout", "10S")]


def pb_bytes(field, data):
    """A length-delimited protobuf field (strings, bytes, messages)."""
    data = data.encode() if isinstance(data, str) else data
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def dynamic_value(msgpack):
    return pb_bytes(1, msgpack)


def grpc_call(stream, path, message, end_stream=True, content_type="application/grpc"):
    body = b"\0" + struct.pack(">I", len(message)) + message
    return (h2frame(HEADERS, END_HEADERS, stream, hpack(grpc_headers(path, content_type))) +
            h2frame(DATA, END_STREAM if end_stream else 0, stream, body))


def grpc_connection():
    attrs, nested = doc_schema(os.path.join(ROOT, "docs", "resources", "user.md"))
    user = {k: sample(k, v, nested) for k, v in attrs.items()}
    provider = {"url": "https://jira.example.com", "username": "admin", "password": "secret"}
    start = PREFACE + h2frame(SETTINGS, 0, 0)
    v6, v5 = "/tfplugin6.Provider/", "/tfplugin5.Provider/"
    calls = {
        "schema6": [(v6 + "GetProviderSchema", b"")],
        "schema5": [(v5 + "GetSchema", b"")],
        "metadata6": [(v6 + "GetMetadata", b"")],
        "validate-provider6": [(v6 + "ValidateProviderConfig", pb_bytes(1, dynamic_value(mp(provider))))],
        "validate-user6": [(v6 + "ValidateResourceConfig",
                            pb_bytes(1, "jira_user") + pb_bytes(2, dynamic_value(mp(user))))],
        "validate-user5": [(v5 + "ValidateResourceTypeConfig",
                            pb_bytes(1, "jira_user") + pb_bytes(2, dynamic_value(mp(user))))],
        "configure-then-read6": [
            (v6 + "ConfigureProvider", pb_bytes(1, "1.11.0") + pb_bytes(2, dynamic_value(mp(provider)))),
            (v6 + "ReadResource", pb_bytes(1, "jira_user") + pb_bytes(2, dynamic_value(mp(user))))],
        "plan-user6": [(v6 + "PlanResourceChange",
                        pb_bytes(1, "jira_user") + pb_bytes(2, dynamic_value(b"\xc0")) +
                        pb_bytes(3, dynamic_value(mp(dict(user, id=UNKNOWN)))) +
                        pb_bytes(4, dynamic_value(mp(dict(user, id=None)))))],
        "upgrade-user6": [(v6 + "UpgradeResourceState",
                           pb_bytes(1, "jira_user") + pb_bytes(3, pb_bytes(1, json.dumps(user))))],
        "configure-import-apply6": [
            (v6 + "ConfigureProvider", pb_bytes(1, "1.11.0") + pb_bytes(2, dynamic_value(mp(provider)))),
            (v6 + "ImportResourceState", pb_bytes(1, "jira_group") + pb_bytes(2, "developers")),
            (v6 + "ApplyResourceChange",
             pb_bytes(1, "jira_group") + pb_bytes(2, dynamic_value(b"\xc0")) +
             pb_bytes(3, dynamic_value(mp({"name": "qa", "id": UNKNOWN}))) +
             pb_bytes(4, dynamic_value(mp({"name": "qa", "id": None}))))],
        "configure-read-data5": [
            (v5 + "Configure", pb_bytes(1, "1.11.0") + pb_bytes(2, dynamic_value(mp(provider)))),
            (v5 + "ReadDataSource",
             pb_bytes(1, "jira_projects") + pb_bytes(2, dynamic_value(mp({}))))],
        "functions-identity6": [(v6 + "GetFunctions", b""),
                                (v6 + "GetResourceIdentitySchemas", b""),
                                (v6 + "StopProvider", b"")],
        "broker-shutdown": [("/plugin.GRPCBroker/StartStream", b""),
                            ("/plugin.GRPCController/Shutdown", b"")],
        "stdio": [("/plugin.GRPCStdio/StreamStdio", b"")],
        "health": [("/grpc.health.v1.Health/Check", pb_bytes(1, "plugin"))],
        "unknown-method": [("/tfplugin6.Provider/" + "Nope" * 40, b"")],
    }
    for name, seq in calls.items():
        data = start + b"".join(grpc_call(1 + 2 * i, p, m) for i, (p, m) in enumerate(seq))
        write("grpc_connection_fuzzer", name, data)
    write("grpc_connection_fuzzer", "wrong-content-type",
          start + grpc_call(1, v6 + "GetMetadata", b"", content_type="text/plain"))
    write("grpc_connection_fuzzer", "half-open-then-reset",
          start + grpc_call(1, v6 + "GetProviderSchema", b"", end_stream=False) +
          h2frame(RST_STREAM, 0, 1, struct.pack(">I", 8)))
    write("grpc_connection_fuzzer", "ping-window-goaway",
          start + h2frame(PING, 0, 0, b"12345678") +
          h2frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 1 << 20)) +
          grpc_call(1, v6 + "GetMetadata", b"") +
          h2frame(GOAWAY, 0, 0, struct.pack(">II", 1, 0)))
    # A header block split over HEADERS and CONTINUATION.
    block = hpack(grpc_headers(v6 + "GetMetadata"))
    write("grpc_connection_fuzzer", "continuation",
          start + h2frame(HEADERS, 0, 1, block[:20]) +
          h2frame(CONTINUATION, END_HEADERS, 1, block[20:]) +
          h2frame(DATA, END_STREAM, 1, b"\0\0\0\0\0"))
    # A message split over two DATA frames.
    msg = pb_bytes(1, "jira_group") + pb_bytes(2, dynamic_value(mp({"name": "devs"})))
    body = b"\0" + struct.pack(">I", len(msg)) + msg
    write("grpc_connection_fuzzer", "split-data",
          start + h2frame(HEADERS, END_HEADERS, 1,
                          hpack(grpc_headers(v6 + "ValidateResourceConfig"))) +
          h2frame(DATA, 0, 1, body[:7]) + h2frame(DATA, END_STREAM, 1, body[7:]))


def main():
    for fn in (dynamic_value_seeds, jira_response, emulator_request, plugin_env, grpc_wire,
               grpc_connection):
        name = fn.__name__.replace("_seeds", "") + "_fuzzer"
        shutil.rmtree(os.path.join(OUT, name), ignore_errors=True)
        fn()


if __name__ == "__main__":
    main()

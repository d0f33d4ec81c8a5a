"""A Node child using the ``twilio`` npm package reaches the mock through ``serve()``.

The package is installed from the npm registry into a cache folder on first use
(``$PYTEST_TWILIO_NODE_CACHE``, else ``~/.cache/pytest-twilio-shortcodes/npm``) and
reused after that. twilio-node's request client reads only ``HTTP_PROXY``, for HTTPS too,
and hands it to ``https-proxy-agent``, which tunnels with CONNECT; Node trusts the
throw-away authority through ``NODE_EXTRA_CA_CERTS``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.children import TIMEOUT, child_env, run

pytestmark = pytest.mark.slow

NODE_CHILD = """
const twilio = require("twilio");
const [service, ...sids] = process.argv.slice(2);

(async () => {
  const client = twilio();  // TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN from the proxy's env
  const shortCodes = client.messaging.v1.services(service).shortCodes;
  const made = [];
  for (const sid of sids) made.push((await shortCodes.create({ shortCodeSid: sid })).sid);
  const listed = (await shortCodes.list({ pageSize: 1 })).map((sc) => sc.shortCode);
  const fetched = (await shortCodes(sids[0]).fetch()).shortCode;
  const removed = await shortCodes(sids[0]).remove();
  let gone = null;
  try {
    await shortCodes(sids[0]).fetch();
  } catch (error) {
    gone = [error.status, error.code];
  }
  const account = (await client.api.v2010.account.shortCodes.list()).map((sc) => sc.shortCode);
  console.log(JSON.stringify({ made, listed, fetched, removed, gone, account }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
"""


def test_a_node_child_drives_twilio_node(twilio_shortcodes, node_modules, tmp_path):
    sids = twilio_shortcodes.add_short_codes(["12345", "67890"])
    service = twilio_shortcodes.add_messaging_service("Alerts")
    served = twilio_shortcodes.serve()
    script = tmp_path / "child.js"
    script.write_text(NODE_CHILD)

    done = run(
        ["node", str(script), service, *sids],
        child_env(served, NODE_PATH=str(node_modules)),
    )
    out = json.loads(done.stdout)

    assert out["made"] == sids
    assert out["listed"] == ["12345", "67890"]
    assert out["fetched"] == "12345"
    assert out["removed"] is True
    assert out["gone"] == [404, 20404]
    assert out["account"] == ["12345", "67890"]
    assert twilio_shortcodes.messaging_service_short_codes(service) == [sids[1]]
    twilio_shortcodes.assert_called("POST", "messaging.v1.service.short_code", times=2)
    twilio_shortcodes.assert_called("DELETE", "messaging", times=1)
    twilio_shortcodes.assert_called("GET", "api", times=1)
    assert twilio_shortcodes.unmatched == []


ADD_ONE = {
    "node": """
const [service, sid] = process.argv.slice(2);
require("twilio")().messaging.v1.services(service).shortCodes
  .create({ shortCodeSid: sid })
  .then((made) => console.log(JSON.stringify(made.sid)))
  .catch((error) => { console.error(error); process.exit(1); });
""",
    "python": """
import json, sys
from twilio.rest import Client
service, sid = sys.argv[1:]
print(json.dumps(Client().messaging.v1.services(service).short_codes.create(short_code_sid=sid).sid))
""",
}


def test_node_and_python_children_at_once(twilio_shortcodes, node_modules, tmp_path):
    sids = twilio_shortcodes.add_short_codes(str(30000 + n) for n in range(6))
    service = twilio_shortcodes.add_messaging_service("Everyone")
    served = twilio_shortcodes.serve()
    env = child_env(served, NODE_PATH=str(node_modules))
    script = tmp_path / "add.js"
    script.write_text(ADD_ONE["node"])
    commands = [
        ["node", str(script)] if n % 2 else [sys.executable, "-c", ADD_ONE["python"]]
        for n in range(len(sids))
    ]

    children = [
        subprocess.Popen([*command, service, sid], env=env, stdout=subprocess.PIPE, text=True)
        for command, sid in zip(commands, sids, strict=True)
    ]
    made = [json.loads(child.communicate(timeout=TIMEOUT)[0]) for child in children]

    assert [child.returncode for child in children] == [0] * len(sids)
    assert made == sids
    assert sorted(twilio_shortcodes.messaging_service_short_codes(service)) == sorted(sids)
    assert [c.status for c in twilio_shortcodes.calls] == [201] * len(sids)

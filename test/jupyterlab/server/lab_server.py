"""The test JupyterLab's server: Debian's jupyterlab_server (LabServerApp) on jupyter_server 1.x.

Serves the build of ../build.mjs and fills the two gaps between jupyter_server 1.x and a JupyterLab 4 frontend:
`/api/me` (a fixed user) and the `/api/events/subscribe` websocket (accepted, silent; without it the page
retries forever). Settings start from settings/overrides.json, are saved under --state DIR, and so are
workspaces. Everything else (ip, port, token, root dir, allow_root) is ordinary ServerApp options.

    python3 lab_server.py --build DIR --state DIR [--parent-pid PID] --ServerApp.port=... ...

With --parent-pid the server gets SIGTERM when that process dies (Linux PR_SET_PDEATHSIG), so a test runner
that is killed does not leave servers and kernels behind.
"""

import ctypes
import json
import os
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def take_option(name):
    """Removes `--name VALUE` from sys.argv (the rest goes to the ServerApp) and returns VALUE."""
    if name not in sys.argv:
        return None
    i = sys.argv.index(name)
    value = sys.argv[i + 1]
    del sys.argv[i : i + 2]
    return value


BUILD = take_option("--build")
STATE = take_option("--state")
PARENT = take_option("--parent-pid")
if not BUILD or not STATE:
    sys.exit("usage: lab_server.py --build DIR --state DIR [--parent-pid PID] [ServerApp options]")
if PARENT:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != int(PARENT):
        sys.exit("the process that started this server is gone")

# Config files on disk (the user's, the system's) must not change what the tests see.
os.environ["JUPYTER_NO_CONFIG"] = "1"

from jupyter_server.base.handlers import APIHandler, JupyterHandler  # noqa: E402
from jupyter_server.base.zmqhandlers import WebSocketMixin  # noqa: E402
from jupyterlab_server import LabServerApp  # noqa: E402
from tornado import web, websocket  # noqa: E402


class MeHandler(APIHandler):
    """GET /api/me: the identity JupyterLab 4 shows (jupyter_server 2 has it; 1.x does not)."""

    @web.authenticated
    def get(self):
        identity = {
            "username": "tester",
            "name": "Tester",
            "display_name": "Tester",
            "initials": "T",
            "avatar_url": None,
            "color": "var(--jp-collaborator-color1)",
        }
        self.finish(json.dumps({"identity": identity, "permissions": {}}))


class EventsHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """The /api/events/subscribe websocket: authenticated, accepted, and silent (no server events here)."""

    def set_default_headers(self):
        # JupyterHandler's headers do not apply to a websocket upgrade.
        pass

    async def get(self, *args, **kwargs):
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


class TestLabApp(LabServerApp):
    name = "tsloop_test_lab"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    app_name = "JupyterLab (tsloop tests)"
    app_version = "4.6"
    static_dir = os.path.join(BUILD, "static")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    templates_dir = os.path.join(HERE, "templates")
    app_settings_dir = os.path.join(HERE, "settings")
    user_settings_dir = os.path.join(STATE, "user-settings")
    workspaces_dir = os.path.join(STATE, "workspaces")

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.append(("/api/me", MeHandler))
        self.handlers.append(("/api/events/subscribe", EventsHandler))

    def initialize_settings(self):
        super().initialize_settings()
        self.serverapp.web_app.settings["terminals_available"] = False


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": TestLabApp}]


if __name__ == "__main__":
    TestLabApp.launch_instance()

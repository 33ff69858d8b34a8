# A JupyterHub for the classroom test and benchmark (test/e2e/classroom.test.ts, bench/classroom.mjs): on
# loopback only, DummyAuthenticator, LocalProcessSpawner (each student's server and kernels run as that
# student's system user), and one service token with the rights to create users, tokens and servers.
# Everything variable comes from the environment the test sets:
#   TSLOOP_HUB_DIR           private dir for the hub's database, cookie secret and pid file
#   TSLOOP_HUB_PORT          the proxy's public port (http://127.0.0.1:PORT/)
#   TSLOOP_HUB_API_PORT      the hub's own port;  TSLOOP_PROXY_API_PORT  the proxy's REST API port
#   TSLOOP_HUB_TOKEN         the service token the test uses
#   TSLOOP_HUB_JUPYTER_PATH  (optional) JUPYTER_PATH for the single-user servers, where the kernelspec is
import os

env = os.environ
here = env["TSLOOP_HUB_DIR"]

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env["TSLOOP_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["TSLOOP_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:" + env["TSLOOP_PROXY_API_PORT"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(here, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(here, "cookie_secret")
c.JupyterHub.pid_file = os.path.join(here, "jupyterhub.pid")
# Stop every single-user server (and so its kernels) when the hub stops.
c.JupyterHub.cleanup_servers = True

c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = ["/usr/bin/jupyterhub-singleuser"]
# Many servers start at once on a loaded 2-core machine: give them time.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.concurrent_spawn_limit = 0
spawner_env = {"TSLOOP_LOG": "warn", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
if env.get("TSLOOP_HUB_JUPYTER_PATH"):
    spawner_env["JUPYTER_PATH"] = env["TSLOOP_HUB_JUPYTER_PATH"]
c.Spawner.environment = spawner_env
# Kernels talk to their server over ipc (socket files), not tcp: jupyter_client picks free tcp ports and releases
# them before the kernel binds them, so when many servers start kernels at once another process can take one in
# between; the kernel then exits ("Address already in use") and is restarted with new ports ~3 s later
# (jupyter/jupyter_client#276). A socket path must fit in 107 bytes (/kernel-<uuid>-ipc-N is 50 of them), so the
# runtime dir is a short one in the student's home. docs/jupyterhub.md recommends the same.
import pwd

c.Spawner.args = ["--KernelManager.transport=ipc"]
spawner_env["JUPYTER_RUNTIME_DIR"] = lambda spawner: os.path.join(pwd.getpwnam(spawner.user.name).pw_dir, ".jr")

c.JupyterHub.services = [{"name": "classroom", "api_token": env["TSLOOP_HUB_TOKEN"]}]
c.JupyterHub.load_roles = [
    {"name": "classroom", "scopes": ["admin:users", "admin:servers", "tokens"], "services": ["classroom"]},
]

"""JupyterHub on one machine for a workshop room (README: "Running a workshop on JupyterHub").

Run as root from a folder that keeps the hub's state (its database and cookie secret),
with the settings in the environment (partnership_lib/hub.py lists them all):

    PARTNERSHIP_HUB_PASSWORD=...                 the one password the room is given
    PARTNERSHIP_HUB_FACILITATORS=sam,kim         facilitator user names
    PARTNERSHIP_HUB_FACILITATOR_PASSWORD=...     their own password
    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Learners' servers are local processes run as Unix accounts of the same names
(LocalProcessSpawner), created on first login. SystemdSpawner, which The Littlest
JupyterHub uses, can take its place to give each learner memory and CPU limits:
pip install jupyterhub-systemdspawner, then spawner_class
"systemdspawner.SystemdSpawner" with c.SystemdSpawner.dynamic_users = False runs each
server as the account of the same name (not tested here). TLJH itself names its
accounts jupyter-<name> and creates them itself, so use this file rather than TLJH.
"""

from pathlib import Path

from partnership_lib.hub import HubSettings, configure

c = get_config()  # noqa: F821 (JupyterHub provides get_config)

REPO = Path(__file__).resolve().parents[2]

c.JupyterHub.bind_url = "http://:8000"  # put HTTPS in front (see the README section)
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
# configurable-http-proxy from npm, installed by `npm ci` into the checkout.
c.ConfigurableHTTPProxy.command = [str(REPO / "node_modules" / ".bin" / "configurable-http-proxy")]

configure(c, HubSettings.from_env())

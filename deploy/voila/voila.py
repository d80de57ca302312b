"""Voilà settings for ``make present``: a presenting server that stays up all day.

``make present`` reads this file and no other Voilà config (``--Voila.config_file_paths``
points here), and so do the browser tests that start Voilà with ``present=True``; the
README explains the defaults ("Leaving Voila running all day"). A setting given on
the command line wins over this file, e.g.
``make present VOILA_ARGS=--MappingKernelManager.cull_idle_timeout=1800``.

Voilà starts one kernel (about 150 MB) per page load. Without culling, every kernel a
closed page leaves behind lives until Voilà stops.
"""

c = get_config()  # noqa: F821 (traitlets defines it while it reads this file)

# Shut a kernel down once no page has been connected to it and it has done nothing for
# 15 minutes: long enough for a page to reconnect after a network blip or a laptop lid
# closed and opened again, short enough that a day of page loads never piles up.
c.MappingKernelManager.cull_idle_timeout = 15 * 60
# How often Voilà looks for such kernels (jupyter_server's default is every 5 minutes).
c.MappingKernelManager.cull_interval = 60
# Never cull a kernel while a page is connected to it: the facilitator's board, open all
# day with Live on, or a notebook left on the projector during a discussion.
c.MappingKernelManager.cull_connected = False
# Never cull a kernel while it is running code (Voilà running a page's cells, a scan).
c.MappingKernelManager.cull_busy = False
# No pool of pre-started kernels: pooled kernels are never culled (one per notebook,
# about 1 GB for the seven notebooks), and they start before the page is asked for, so
# they would not see its query string (?projector=1).
c.VoilaConfiguration.preheat_kernel = False


def set_xsrf_cookie(handler, notebook, cwd):
    """Give the page its ``_xsrf`` cookie, so closing it shuts its kernel down at once.

    On ``beforeunload`` Voilà's page posts ``voila/api/shutdown/<kernel>`` with the
    ``_xsrf`` value it reads from its cookies, but Voilà 0.5 never sets that cookie, so
    the request is refused ("'_xsrf' argument missing from POST", voila-dashboards/voila
    issue 1458) and the kernel is left for the culler. Reading ``xsrf_token`` sets the
    cookie on this response; the XSRF check itself stays on. Returns ``None``: the
    notebook is not changed.
    """
    handler.xsrf_token  # noqa: B018 (read for its side effect: it sets the cookie)


c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie

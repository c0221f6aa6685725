"""The county hub (县级中心): a small Django project that kiosks sync with.

`sync.hub.api` answers the wire protocol, `sync.hub.county` holds the models and the admin for
county staff, `sync.hub.staff` the case actions, `sync.hub.cli` the `xiangli-hub` command.
"""

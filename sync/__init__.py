"""乡里办 sync: the wire protocol, the kiosk's sync client and the county hub.

`sync.protocol` is plain Python shared by both ends; `sync.hub` is the county hub (Django).
Nothing here imports `ui`, `drivers` or Qt (see the import contracts in setup.cfg).
"""

"""The rules kiosk and hub share, with one owner: the case lifecycle, kinds, statuses, actions
and their Chinese labels, the three service levels, masking of personal data, and the wire
vocabulary of the sync protocol.

Pure Python: no Qt, no Django, no requests, no database. `kiosk/`, `sync/` (client and hub) and
`ui/` import it; it imports none of them (an import-linter contract in setup.cfg). Any thread
may use it; it holds no state.
"""

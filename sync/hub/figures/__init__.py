"""The county's figures at the hub (issue 15): the dashboard, its exports, and the kiosks'
health reports (records waiting, device faults) that feed its kiosk table."""

"""Kiosk software updates at the county hub: signed releases staff upload, served to kiosks."""

"""The county staff's work page (工作台, /work/): each staff member's queue ordered by deadline,
a case's page with its material photos, history and parts, and the lifecycle's actions as
buttons with the forms they need; within the staff member's scope (`sync.hub.county.access`)."""

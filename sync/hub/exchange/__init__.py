"""Exchange with the provincial 一体化政务服务平台: ratings (好差评) exported in the national field
set and pushed through a port (sync.hub.exchange.ports); docs/haochaping.md."""

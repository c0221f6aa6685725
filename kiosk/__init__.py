"""乡里办 core: the domain and application services, and the local store.

Plain Python only: no Qt, no devices, no network (see the import contracts in setup.cfg).
"""

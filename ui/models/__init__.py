"""View-models: QObjects with properties, signals and slots that hold screen state.

They call the core through `ui.background.Background` and never block the GUI thread.
"""

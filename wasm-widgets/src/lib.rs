//! kpi-widgets: the WebAssembly bindings of kpi-core (to be implemented).

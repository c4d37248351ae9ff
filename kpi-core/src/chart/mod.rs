//! Charts: layout of every widget kind and drawing on any plotters backend.

//! Plain-language summaries of results in Kazakh, Russian and English.

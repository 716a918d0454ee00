//! The design checklist. Empty until the checklist issue lands; the module
//! exists so the layering (model → catalog → rules → io → app → ui) is in
//! place from the first commit.

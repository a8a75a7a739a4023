//! End-to-end tests: fixture sites copied to temporary folders, built and
//! imported through the library and the real binary, asserting on what a
//! reader or a site owner sees.

mod authoring;
mod build;
mod cli;
mod fetch;
mod hostile;
mod hostile_inputs;
mod import;
mod import_formats;
mod incremental;
mod properties;
mod publish;
mod reader;
mod readers_agree;
mod replay;
mod search;
mod serve;
mod support;
mod templates;
mod topic_lock;
mod topics;
mod whole_path;

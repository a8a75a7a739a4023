//! End-to-end tests: fixture sites copied to temporary folders, built and
//! imported through the library and the real binary, asserting on what a
//! reader or a site owner sees.

mod build;
mod cli;
mod import;
mod import_formats;
mod publish;
mod reader;
mod search;
mod serve;
mod support;
mod topics;

//! minyi's integration tests: real SQLite files and a real PostgreSQL server.

mod bot;
mod charts;
mod cli;
mod crash;
mod delivery;
mod demo;
mod front_storage;
mod import;
mod invites;
mod jobs;
mod loop_storage;
mod ops;
mod outage;
mod outbox;
mod properties;
mod reports;
mod support;
mod web;
mod wecom;
mod year_reports;

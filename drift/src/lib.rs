//! Drift check: spec/ against an OpenAPI document (to be written).

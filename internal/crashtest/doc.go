// Package crashtest holds the kill -9 test: a backup is killed at several
// moments, and the repository must stay checkable and restorable.
package crashtest

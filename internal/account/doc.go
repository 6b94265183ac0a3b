// Package account keeps parents' cabinet accounts: one-time codes, passwords,
// sessions and the limits that protect them.
package account

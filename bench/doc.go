// Package bench compares this SDK with github.com/microsoftgraph/msgraph-sdk-go
// listing messages through Microsoft Graph (list_test.go) and building two
// equivalent small programs (cmd/ours, cmd/msgraph, buildtime.sh). It is a
// separate module so that msgraph-sdk-go never becomes a dependency of the
// SDK; results are in ../BENCHMARKS.md.
package bench

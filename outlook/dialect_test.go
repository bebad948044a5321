package outlook_test

import (
	"testing"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/office365test"
)

// dialect is one of the two APIs a client speaks: the fake-backed
// behaviour tests run once per dialect, against the same fake mailbox
// served by its v2.0 and its Graph front end.
type dialect struct {
	name  string
	graph bool
}

var dialects = []dialect{{name: "v2.0"}, {name: "graph", graph: true}}

// eachDialect runs f once per dialect, in parallel subtests.
func eachDialect(t *testing.T, f func(t *testing.T, d dialect)) {
	t.Helper()
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			f(t, d)
		})
	}
}

// options returns the client options of the dialect.
func (d dialect) options(opts ...office365.Option) []office365.Option {
	if d.graph {
		return append([]office365.Option{office365.WithGraph()}, opts...)
	}
	return opts
}

// serve mounts the dialect's front end of the fake mailbox on srv (the
// v2.0 one is mounted by Mailbox.Register) and returns the Graph one (nil
// for v2.0).
func (d dialect) serve(srv *office365test.Server, mb *office365test.Mailbox, opts ...office365test.GraphMailOption) *office365test.GraphMail {
	if !d.graph {
		return nil
	}
	g := office365test.NewGraphMail(srv, mb, opts...)
	g.Register(srv)
	return g
}

// pushFake is the push side of the fake in either dialect: the v2.0 push
// fake or the Graph front end's subscriptions.
type pushFake struct {
	v2    *office365test.Push
	graph *office365test.GraphMail
}

// live returns the number of live subscriptions.
func (p pushFake) live() int {
	if p.graph != nil {
		return len(p.graph.Subscriptions())
	}
	return len(p.v2.Subscriptions())
}

package exampleenv

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/office365-go/office365"
)

// GraphFlag defines -graph on the default flag set; call it before
// flag.Parse and pass the result to UseGraph.
func GraphFlag() *bool {
	return flag.Bool("graph", false, "use Microsoft Graph (office365.WithGraph) instead of the retired API; also O365_API=graph")
}

// UseGraph reports whether the example should talk to Microsoft Graph: the
// -graph flag, or O365_API=graph in the environment (O365_API=legacy, or
// unset, keeps the retired API).
func UseGraph(graphFlag bool) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(os.Getenv("O365_API"))); v {
	case "":
		return graphFlag, nil
	case "graph":
		return true, nil
	case "legacy":
		if graphFlag {
			return false, fmt.Errorf("-graph contradicts O365_API=%s", os.Getenv("O365_API"))
		}
		return false, nil
	default:
		return false, fmt.Errorf("O365_API=%q: want graph or legacy", os.Getenv("O365_API"))
	}
}

// ClientOptions returns the options for a client of the environment in the
// chosen dialect: Options, plus office365.WithGraph when graph is set (the
// fake then answers through its Graph front end, which says so on stderr,
// prefixed by name).
func (e *Env) ClientOptions(name string, graph bool) []office365.Option {
	opts := append([]office365.Option(nil), e.Options...)
	if !graph {
		return opts
	}
	if e.IsFake() {
		fmt.Fprintf(os.Stderr, "%s: speaking Microsoft Graph (/v1.0) to the fake\n\n", name)
	}
	return append(opts, office365.WithGraph())
}

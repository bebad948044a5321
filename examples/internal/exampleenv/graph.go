package exampleenv

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/servicecomms"
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

// ServiceCommsClient is ServiceComms with the dialect chosen: with graph the
// client is served by Microsoft Graph (the app then needs the Graph
// permissions ServiceHealth.Read.All and ServiceMessage.Read.All). Close
// the Env when done.
func ServiceCommsClient(name string, graph bool) (*servicecomms.Client, *Env, error) {
	env, err := Load(name, false, nil)
	if err != nil {
		return nil, nil, err
	}
	opts := env.Options
	if graph {
		opts = append(append([]office365.Option(nil), opts...), office365.WithGraph())
		if env.IsFake() {
			fmt.Fprintf(os.Stderr, "%s: speaking Microsoft Graph (/v1.0/admin/serviceAnnouncement) to the fake\n\n", name)
		}
	}
	c, err := servicecomms.New(env.TenantID, env.Credential, opts...)
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return c, env, nil
}

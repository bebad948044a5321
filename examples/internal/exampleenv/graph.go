package exampleenv

import (
	"github.com/office365-go/office365/servicecomms"
)

// ServiceCommsClient is ServiceComms with the dialect chosen: with graph the
// client is served by Microsoft Graph (the app then needs the Graph
// permissions ServiceHealth.Read.All and ServiceMessage.Read.All). Close
// the Env when done.
func ServiceCommsClient(name string, graph bool) (*servicecomms.Client, *Env, error) {
	env, err := Load(name, false, nil)
	if err != nil {
		return nil, nil, err
	}
	c, err := servicecomms.New(env.TenantID, env.Credential, env.ClientOptions(name, graph)...)
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return c, env, nil
}

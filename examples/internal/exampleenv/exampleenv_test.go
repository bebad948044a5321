package exampleenv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
)

// clearEnv unsets every variable Load reads.
func clearEnv(t *testing.T) {
	for _, v := range []string{"TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_CERTIFICATE_PATH", "CLIENT_CERTIFICATE_PASSWORD",
		"CLIENT_SEND_CERTIFICATE_CHAIN", "FEDERATED_TOKEN_FILE", "AUTHORITY_HOST", "MAILBOX", "CLOUD"} {
		t.Setenv("AZURE_"+v, "")
		t.Setenv("O365_"+v, "")
	}
}

func TestLoadWithoutVariablesUsesTheFake(t *testing.T) {
	clearEnv(t)
	env, err := Load("test", true, nil)
	require.NoError(t, err)
	defer env.Close()
	assert.True(t, env.IsFake())
	assert.NotEmpty(t, env.Mailbox)
}

func TestLoadFromEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv("O365_TENANT_ID", "contoso.onmicrosoft.com")
	t.Setenv("O365_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
	t.Setenv("O365_CLIENT_SECRET", "not-used")
	t.Setenv("O365_CLOUD", "gcc-high")

	_, err := Load("test", true, nil)
	assert.ErrorContains(t, err, "O365_MAILBOX")

	t.Setenv("O365_MAILBOX", "adele@contoso.onmicrosoft.com")
	env, err := Load("test", true, nil)
	require.NoError(t, err)
	assert.False(t, env.IsFake())
	assert.Equal(t, "contoso.onmicrosoft.com", env.TenantID)
	assert.Equal(t, "adele@contoso.onmicrosoft.com", env.Mailbox)
	assert.IsType(t, &auth.EnvironmentCredential{}, env.Credential)
	assert.Equal(t, office365.CloudGCCHigh, env.Credential.(*auth.EnvironmentCredential).Cloud())
	assert.Len(t, env.Options, 1)
}

func TestLoadHalfConfigured(t *testing.T) {
	clearEnv(t)
	t.Setenv("AZURE_TENANT_ID", "contoso.onmicrosoft.com")
	_, err := Load("test", false, nil)
	require.Error(t, err)
	assert.ErrorContains(t, err, "AZURE_CLIENT_ID")
	assert.ErrorContains(t, err, "or none to use the in-process fake")

	clearEnv(t)
	t.Setenv("O365_MAILBOX", "adele@contoso.onmicrosoft.com")
	_, err = Load("test", true, nil)
	assert.ErrorContains(t, err, "AZURE_TENANT_ID")
}

package auth

// SetMaxOnBehalfOfUsers sets how many distinct user assertions the
// on-behalf-of cache of c serves before it starts afresh.
func SetMaxOnBehalfOfUsers(c *ClientSecretCredential, n int) {
	c.c.obo.mu.Lock()
	defer c.c.obo.mu.Unlock()
	c.c.obo.max = n
}

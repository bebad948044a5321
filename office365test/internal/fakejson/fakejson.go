// Package fakejson holds the JSON helpers the fake's front ends share: an
// object that keeps its member order (services write members in an order
// clients sometimes depend on) and OData response writers.
package fakejson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Object is a JSON object that keeps its member order.
type Object []Member

// Member is one member of an Object.
type Member struct {
	Key   string
	Value any
}

// MarshalJSON writes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns the value of the member named key (compared
// case-insensitively).
func (o Object) Get(key string) (any, bool) {
	i := slices.IndexFunc(o, func(m Member) bool { return strings.EqualFold(m.Key, key) })
	if i < 0 {
		return nil, false
	}
	return o[i].Value, true
}

// Project returns the members named in sel, in sel's order (names compared
// case-insensitively), or an error naming the first unknown one.
func (o Object) Project(sel []string) (Object, error) {
	var out Object
	for _, s := range sel {
		i := slices.IndexFunc(o, func(m Member) bool { return strings.EqualFold(m.Key, s) })
		if i < 0 {
			return nil, fmt.Errorf("could not find a property named %q in $select", s)
		}
		out = append(out, o[i])
	}
	return out, nil
}

// WriteJSON writes v as an OData JSON response.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteError writes an OData error body: {"error":{"code":…,"message":…}}.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

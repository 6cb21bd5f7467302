package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

const (
	kindParameter   = "parameter examples"
	kindRequestBody = "request body examples"
	kindResponse    = "response examples"
	kindSchema      = "schema examples"
	kindExchange    = "canned answers"
	// Examples are sent to the spec's first server; only the path matters to validation.
	exampleBase = "http://127.0.0.1:3000"
)

// example is one example value and where it is written in the document.
type example struct {
	value interface{}
	place string
}

// examplesOf lists an object's `example` and each of its `examples` (a 3.0 map of Example Objects).
func examplesOf(at string, single interface{}, named openapi3.Examples) []example {
	var out []example
	if single != nil {
		out = append(out, example{single, pointer(at, "example")})
	}
	for _, name := range sortedKeys(named) {
		if ref := named[name]; ref != nil && ref.Value != nil {
			out = append(out, example{ref.Value.Value, pointer(at, "examples", name, "value")})
		}
	}
	return out
}

// checkExamples validates every operation's parameter, request body and response examples with
// openapi3filter, then every schema's own example.
func checkExamples(ctx context.Context, doc *openapi3.T, r *report) {
	for _, path := range sortedKeys(doc.Paths) {
		item := doc.Paths[path]
		checkParameters(ctx, pointer("#/paths", path), item.Parameters, r)
		operations := item.Operations()
		for _, method := range sortedKeys(operations) {
			op := operations[method]
			at := pointer("#/paths", path, strings.ToLower(method))
			route := &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
			checkParameters(ctx, at, op.Parameters, r)
			if op.RequestBody != nil {
				checkRequestBody(ctx, route, pointer(at, "requestBody"), op.RequestBody.Value, r)
			}
			for _, status := range sortedKeys(op.Responses) {
				checkResponse(ctx, route, status, pointer(at, "responses", status), op.Responses[status].Value, r)
			}
		}
	}
	walkSchemas(doc, func(s *openapi3.Schema, at string) {
		if s.Example == nil {
			return
		}
		if err := s.VisitJSON(s.Example); err != nil {
			r.fail(kindSchema, pointer(at, "example"), err)
		} else {
			r.pass(kindSchema)
		}
	})
}

func checkParameters(ctx context.Context, at string, parameters openapi3.Parameters, r *report) {
	for i, ref := range parameters {
		p := ref.Value
		place := pointer(at, "parameters", strconv.Itoa(i))
		all := examplesOf(place, p.Example, p.Examples)
		for _, name := range sortedKeys(p.Content) {
			media := p.Content[name]
			all = append(all, examplesOf(pointer(place, "content", name), media.Example, media.Examples)...)
		}
		for _, ex := range all {
			input, err := parameterRequest(p, ex.value)
			if err == nil {
				err = openapi3filter.ValidateParameter(ctx, input, p)
			}
			// kin-openapi 0.110 cannot decode a parameter whose schema has `not` ("not implemented:
			// decoding 'not'", openapi3filter/req_resp_decoder.go): check such an example, already a
			// typed JSON value, against the schema directly.
			if err != nil && strings.Contains(err.Error(), "not implemented: decoding 'not'") && p.Schema != nil {
				err = p.Schema.Value.VisitJSON(ex.value)
			}
			if err != nil {
				r.fail(kindParameter, ex.place, err)
			} else {
				r.pass(kindParameter)
			}
		}
	}
}

// parameterRequest is a request that carries only this parameter, with this value.
func parameterRequest(p *openapi3.Parameter, value interface{}) (*openapi3filter.RequestValidationInput, error) {
	text, err := parameterText(p, value)
	if err != nil {
		return nil, err
	}
	req := httptest.NewRequest(http.MethodGet, exampleBase+"/", nil)
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: map[string]string{}}
	switch p.In {
	case openapi3.ParameterInPath:
		input.PathParams[p.Name] = text
	case openapi3.ParameterInQuery:
		req.URL.RawQuery = url.Values{p.Name: {text}}.Encode()
	case openapi3.ParameterInHeader:
		req.Header.Set(p.Name, text)
	case openapi3.ParameterInCookie:
		req.AddCookie(&http.Cookie{Name: p.Name, Value: text})
	}
	return input, nil
}

// parameterText writes an example as it travels in a URL or header: primitives as text (style
// simple/form), a `content` parameter as JSON.
func parameterText(p *openapi3.Parameter, value interface{}) (string, error) {
	if p.Content != nil {
		data, err := json.Marshal(value)
		return string(data), err
	}
	switch v := value.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	}
	return "", fmt.Errorf("this check writes only primitive parameter examples, not %T", value)
}

func checkRequestBody(ctx context.Context, route *routers.Route, at string, body *openapi3.RequestBody, r *report) {
	for _, mediaType := range sortedKeys(body.Content) {
		media := body.Content[mediaType]
		for _, ex := range examplesOf(pointer(at, "content", mediaType), media.Example, media.Examples) {
			data, err := encode(mediaType, ex.value)
			if err == nil {
				req := httptest.NewRequest(route.Method, exampleBase+route.Path, bytes.NewReader(data))
				req.Header.Set("Content-Type", mediaType)
				input := &openapi3filter.RequestValidationInput{Request: req, Route: route, Options: &openapi3filter.Options{SkipSettingDefaults: true}}
				err = openapi3filter.ValidateRequestBody(ctx, input, body)
			}
			if err != nil {
				r.fail(kindRequestBody, ex.place, err)
			} else {
				r.pass(kindRequestBody)
			}
		}
	}
}

func checkResponse(ctx context.Context, route *routers.Route, status, at string, response *openapi3.Response, r *report) {
	code, err := statusFor(status, route.Operation.Responses)
	if err != nil {
		r.fail(kindResponse, at, err)
		return
	}
	for _, mediaType := range sortedKeys(response.Content) {
		media := response.Content[mediaType]
		for _, ex := range examplesOf(pointer(at, "content", mediaType), media.Example, media.Examples) {
			header, err := requiredHeaders(response)
			var data []byte
			if err == nil {
				data, err = encode(mediaType, ex.value)
			}
			if err == nil {
				header.Set("Content-Type", mediaType)
				err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
					RequestValidationInput: &openapi3filter.RequestValidationInput{Request: validatedRequest(route.Method, route.Path), Route: route},
					Status:                 code,
					Header:                 header,
					Body:                   io.NopCloser(bytes.NewReader(data)),
					Options:                &openapi3filter.Options{IncludeResponseStatus: true},
				})
			}
			if err != nil {
				r.fail(kindResponse, ex.place, err)
			} else {
				r.pass(kindResponse)
			}
		}
	}
}

// validatedRequest: kin-openapi skips every response to a HEAD request, so a HEAD operation's
// response is checked as the answer to a GET on the same route (the route, not the method, picks
// the response's declaration).
func validatedRequest(method, path string) *http.Request {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	return httptest.NewRequest(method, exampleBase+path, nil)
}

// statusFor is the status code an example of this response is sent with (`default`: one the
// operation does not declare).
func statusFor(status string, responses openapi3.Responses) (int, error) {
	if status != "default" {
		return strconv.Atoi(status)
	}
	for code := 599; code >= 100; code-- {
		if responses.Get(code) == nil {
			return code, nil
		}
	}
	return 0, fmt.Errorf("no status left for the default response")
}

// requiredHeaders gives each required response header a value: its example, its schema's example,
// first enum value or default.
func requiredHeaders(response *openapi3.Response) (http.Header, error) {
	header := http.Header{}
	for _, name := range sortedKeys(response.Headers) {
		h := response.Headers[name].Value
		if !h.Required {
			continue
		}
		var value interface{}
		if candidates := examplesOf("", h.Example, h.Examples); len(candidates) > 0 {
			value = candidates[0].value
		} else if s := h.Schema; s != nil && s.Value != nil {
			switch {
			case s.Value.Example != nil:
				value = s.Value.Example
			case len(s.Value.Enum) > 0:
				value = s.Value.Enum[0]
			default:
				value = s.Value.Default
			}
		}
		text, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("required header %s has no example to send", name)
		}
		header.Set(name, text)
	}
	return header, nil
}

var jsonMediaType = regexp.MustCompile(`^application/([a-z0-9.+-]+\+)?json\b`)

// encode writes an example as a body: JSON for JSON media types; other media types take their
// example as the body's text.
func encode(mediaType string, value interface{}) ([]byte, error) {
	if jsonMediaType.MatchString(mediaType) {
		return json.Marshal(value)
	}
	if text, ok := value.(string); ok {
		return []byte(text), nil
	}
	return nil, fmt.Errorf("an example of %s must be the body's text, not %T", mediaType, value)
}

// schemaChild is one subschema of a schema, with the pointer tokens that lead to it.
type schemaChild struct {
	ref  *openapi3.SchemaRef
	path []string
}

// children lists a schema's subschemas, always in the same order: items, not,
// additionalProperties, allOf, anyOf, oneOf, then properties by name.
func children(s *openapi3.Schema) []schemaChild {
	list := []schemaChild{{s.Items, []string{"items"}}, {s.Not, []string{"not"}}, {s.AdditionalProperties, []string{"additionalProperties"}}}
	for _, group := range []struct {
		name string
		refs openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}} {
		for i, ref := range group.refs {
			list = append(list, schemaChild{ref, []string{group.name, strconv.Itoa(i)}})
		}
	}
	for _, name := range sortedKeys(s.Properties) {
		list = append(list, schemaChild{s.Properties[name], []string{"properties", name}})
	}
	return list
}

// walkSchemas visits every schema written in the document (not following references) with its
// JSON pointer: components, and the parameters, bodies and headers of every operation.
func walkSchemas(doc *openapi3.T, visit func(*openapi3.Schema, string)) {
	var schema func(ref *openapi3.SchemaRef, at string)
	schema = func(ref *openapi3.SchemaRef, at string) {
		if ref == nil || ref.Ref != "" || ref.Value == nil {
			return
		}
		visit(ref.Value, at)
		for _, child := range children(ref.Value) {
			schema(child.ref, pointer(at, child.path...))
		}
	}
	content := func(c openapi3.Content, at string) {
		for _, name := range sortedKeys(c) {
			schema(c[name].Schema, pointer(at, "content", name, "schema"))
		}
	}
	parameters := func(list openapi3.Parameters, at string) {
		for i, ref := range list {
			if ref.Ref == "" {
				schema(ref.Value.Schema, pointer(at, "parameters", strconv.Itoa(i), "schema"))
				content(ref.Value.Content, pointer(at, "parameters", strconv.Itoa(i)))
			}
		}
	}
	headers := func(h openapi3.Headers, at string) {
		for _, name := range sortedKeys(h) {
			if h[name].Ref == "" {
				schema(h[name].Value.Schema, pointer(at, "headers", name, "schema"))
			}
		}
	}
	response := func(ref *openapi3.ResponseRef, at string) {
		if ref.Ref == "" {
			headers(ref.Value.Headers, at)
			content(ref.Value.Content, at)
		}
	}
	c := doc.Components
	for _, name := range sortedKeys(c.Schemas) {
		schema(c.Schemas[name], pointer("#/components/schemas", name))
	}
	for _, name := range sortedKeys(c.Parameters) {
		schema(c.Parameters[name].Value.Schema, pointer("#/components/parameters", name, "schema"))
	}
	for _, name := range sortedKeys(c.Headers) {
		schema(c.Headers[name].Value.Schema, pointer("#/components/headers", name, "schema"))
	}
	for _, name := range sortedKeys(c.RequestBodies) {
		content(c.RequestBodies[name].Value.Content, pointer("#/components/requestBodies", name))
	}
	for _, name := range sortedKeys(c.Responses) {
		response(c.Responses[name], pointer("#/components/responses", name))
	}
	for _, path := range sortedKeys(doc.Paths) {
		item := doc.Paths[path]
		parameters(item.Parameters, pointer("#/paths", path))
		operations := item.Operations()
		for _, method := range sortedKeys(operations) {
			op := operations[method]
			at := pointer("#/paths", path, strings.ToLower(method))
			parameters(op.Parameters, at)
			if op.RequestBody != nil && op.RequestBody.Ref == "" {
				content(op.RequestBody.Value.Content, pointer(at, "requestBody"))
			}
			for _, status := range sortedKeys(op.Responses) {
				response(op.Responses[status], pointer(at, "responses", status))
			}
		}
	}
}

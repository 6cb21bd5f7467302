package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// exchange is one request a test server answered, as checks/go/capture.ts recorded it.
type exchange struct {
	Source          string            `json:"source"`
	Method          string            `json:"method"`
	Path            string            `json:"path"`
	RequestHeaders  map[string]string `json:"requestHeaders"`
	RequestBody     string            `json:"requestBody"` // base64
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"responseHeaders"`
	ResponseBody    string            `json:"responseBody"` // base64
}

// checkExchanges finds each captured request's route as a router would (method and path against
// the spec's paths), then validates the request and the test server's answer (status, headers,
// content type, body) against that route.
func checkExchanges(ctx context.Context, doc *openapi3.T, file string, r *report) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var captured struct {
		Exchanges []exchange `json:"exchanges"`
	}
	if err := json.Unmarshal(data, &captured); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	if len(captured.Exchanges) == 0 {
		return fmt.Errorf("%s: no exchanges", file)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return err
	}
	options := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, SkipSettingDefaults: true}
	for _, x := range captured.Exchanges {
		place := fmt.Sprintf("%s: %s %s → %d", x.Source, x.Method, x.Path, x.Status)
		if err := checkExchange(ctx, router, options, x); err != nil {
			r.fail(kindExchange, place, err)
		} else {
			r.pass(kindExchange)
		}
	}
	return nil
}

func checkExchange(ctx context.Context, router routers.Router, options *openapi3filter.Options, x exchange) error {
	requestBody, err := base64.StdEncoding.DecodeString(x.RequestBody)
	if err != nil {
		return err
	}
	responseBody, err := base64.StdEncoding.DecodeString(x.ResponseBody)
	if err != nil {
		return err
	}
	req := httptest.NewRequest(x.Method, exampleBase+x.Path, bytes.NewReader(requestBody))
	for name, value := range x.RequestHeaders {
		req.Header.Set(name, value)
	}
	route, pathParams, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no route in the spec: %v", err)
	}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: options}
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		return fmt.Errorf("request: %v", err)
	}
	header := http.Header{}
	for name, value := range x.ResponseHeaders {
		header.Set(name, value)
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: validatedRequest(x.Method, route.Path), Route: route, PathParams: pathParams},
		Status:                 x.Status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(responseBody)),
		Options:                options,
	})
	if err != nil {
		return fmt.Errorf("response: %v", err)
	}
	return nil
}

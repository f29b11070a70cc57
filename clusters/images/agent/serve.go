package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// serve runs an HTTP server on every address of --listen.
//
//	GET /          JSON: pod, hostname, node, listener, version; with
//	               BACKEND_URL set it also calls the backend and embeds the
//	               reply (502 when the backend fails). ?sleep=500ms delays
//	               the reply, to hold a request in flight. BUSY_MS (default
//	               0) burns that much CPU per request, so load drives an HPA.
//	               BACKEND_KEEPALIVE=false dials (and so resolves the
//	               backend's name) for every call, as a client without a
//	               connection pool does.
//	GET /healthz   "ok", or 503 once SIGTERM started the drain.
//
// On SIGTERM/SIGINT: /healthz turns 503, the server keeps serving for
// DRAIN_SECONDS (default 0) so endpoints can be removed, then stops
// accepting and waits for in-flight requests (up to SHUTDOWN_TIMEOUT,
// default 30s).
func serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	listen := fs.String("listen", ":8080", "comma-separated listen addresses")
	fs.Parse(args)

	drain := envDuration("DRAIN_SECONDS", 0, time.Second)
	shutdownTimeout := envDuration("SHUTDOWN_TIMEOUT", 30*time.Second, time.Second)
	backend := os.Getenv("BACKEND_URL")
	hostname, _ := os.Hostname()
	pod := envOr("POD_NAME", hostname)
	node := os.Getenv("NODE_NAME")
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableKeepAlives = os.Getenv("BACKEND_KEEPALIVE") == "false"
	client := &http.Client{Timeout: envDuration("BACKEND_TIMEOUT", 2*time.Second, time.Second), Transport: transport}
	var draining atomic.Bool
	busy := envDuration("BUSY_MS", 0, time.Millisecond)

	var servers []*http.Server
	for _, addr := range strings.Split(*listen, ",") {
		addr = strings.TrimSpace(addr)
		if addr == "" {
			continue
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
			if draining.Load() {
				http.Error(w, "draining", http.StatusServiceUnavailable)
				return
			}
			io.WriteString(w, "ok\n")
		})
		listener := addr
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if d, err := time.ParseDuration(r.URL.Query().Get("sleep")); err == nil && d > 0 {
				time.Sleep(d)
			}
			burn(busy)
			reply := map[string]any{
				"pod": pod, "hostname": hostname, "node": node,
				"listener": listener, "version": version, "path": r.URL.Path,
			}
			status := http.StatusOK
			if backend != "" {
				b, err := callBackend(r.Context(), client, backend)
				if err != nil {
					status = http.StatusBadGateway
					reply["error"] = err.Error()
				} else {
					reply["backend"] = b
				}
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(reply)
		})
		servers = append(servers, &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second})
	}
	if len(servers) == 0 {
		log.Print("serve: no listen address")
		return 2
	}

	errs := make(chan error, len(servers))
	for _, s := range servers {
		ln, err := net.Listen("tcp", s.Addr)
		if err != nil {
			log.Printf("serve: %v", err)
			return 1
		}
		log.Printf("serving on %s", ln.Addr())
		go func(s *http.Server) { errs <- s.Serve(ln) }(s)
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	select {
	case sig := <-sigs:
		log.Printf("got %v: draining for %v", sig, drain)
	case err := <-errs:
		log.Printf("serve: %v", err)
		return 1
	}
	draining.Store(true)
	time.Sleep(drain)

	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var wg sync.WaitGroup
	failed := atomic.Bool{}
	for _, s := range servers {
		wg.Add(1)
		go func(s *http.Server) {
			defer wg.Done()
			if err := s.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Printf("shutdown %s: %v", s.Addr, err)
				failed.Store(true)
			}
		}(s)
	}
	wg.Wait()
	log.Print("stopped")
	if failed.Load() {
		return 1
	}
	return 0
}

// callBackend GETs url and returns its JSON reply (or its text when the
// reply is not JSON). A non-2xx status is an error.
func callBackend(ctx context.Context, client *http.Client, url string) (any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("backend %s: %s", url, resp.Status)
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		return v, nil
	}
	return strings.TrimSpace(string(body)), nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// envDuration reads a duration ("1.5s") or a bare number of units.
func envDuration(key string, def, unit time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	if d, err := time.ParseDuration(v); err == nil {
		return d
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Duration(f * float64(unit))
	}
	log.Printf("ignoring %s=%q: not a duration", key, v)
	return def
}

// burn keeps a CPU busy for d: the work an HPA scales on.
func burn(d time.Duration) {
	if d <= 0 {
		return
	}
	x := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 1000; i++ {
			x += i * i
		}
	}
	_ = x
}

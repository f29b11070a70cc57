// Command agent is shakedown's own small workload and probe binary, used by
// the sample stack and by in-cluster probes. Standard library only.
//
//	agent serve   --listen :8080[,:8081...]   HTTP server (see serve.go)
//	agent connect --timeout 1s HOST:PORT      TCP connect: prints "ok" or "fail: reason"
//	agent http    --timeout 2s URL            HTTP GET: prints the body
//	agent idle    --for 15m                   sleeps, so `connect` can be exec'd beside it (see idle.go)
//	agent version
//
// connect and http exit 0 on success and 1 on failure.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	switch cmd {
	case "serve":
		os.Exit(serve(args))
	case "connect":
		os.Exit(connect(args))
	case "http":
		os.Exit(httpGet(args))
	case "idle":
		os.Exit(idle(args))
	case "version", "--version":
		fmt.Println(version)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: agent serve|connect|http|idle|version [flags] [args]")
	os.Exit(2)
}

func connect(args []string) int {
	fs := flag.NewFlagSet("connect", flag.ExitOnError)
	timeout := fs.Duration("timeout", time.Second, "connect timeout")
	fs.Parse(args)
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: agent connect [--timeout 1s] HOST:PORT")
		return 2
	}
	conn, err := net.DialTimeout("tcp", fs.Arg(0), *timeout)
	if err != nil {
		fmt.Println("fail:", err)
		return 1
	}
	conn.Close()
	fmt.Println("ok")
	return 0
}

func httpGet(args []string) int {
	fs := flag.NewFlagSet("http", flag.ExitOnError)
	timeout := fs.Duration("timeout", 2*time.Second, "whole-request timeout")
	fs.Parse(args)
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: agent http [--timeout 2s] URL")
		return 2
	}
	client := &http.Client{Timeout: *timeout}
	resp, err := client.Get(fs.Arg(0))
	if err != nil {
		fmt.Println("fail:", err)
		return 1
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	os.Stdout.Write(body)
	if err != nil {
		fmt.Println("\nfail:", err)
		return 1
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintln(os.Stderr, "fail: status", resp.Status)
		return 1
	}
	return 0
}

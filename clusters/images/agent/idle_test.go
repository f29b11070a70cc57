package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestIdleEndsAfterItsTime(t *testing.T) {
	start := time.Now()
	if code := idle([]string{"--for", "50ms"}); code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	if d := time.Since(start); d < 50*time.Millisecond || d > 2*time.Second {
		t.Fatalf("idled %v, want about 50ms", d)
	}
}

func TestIdleEndsOnASignal(t *testing.T) {
	sigs := make(chan os.Signal, 1)
	sigs <- syscall.SIGTERM
	if code := idleUntil(time.After(time.Hour), sigs); code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
}

func TestIdleRejectsNoTime(t *testing.T) {
	if code := idle([]string{"--for", "0s"}); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
}

// The built binary, as the container runs it: SIGTERM ends the idle at once.
func TestIdleBinaryStopsOnSIGTERM(t *testing.T) {
	bin := t.TempDir() + "/agent"
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "idle", "--for", "1h")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v to stop", d)
	}
}

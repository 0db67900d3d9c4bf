// Logged values and loops: plain `label: value` lines when standard output
// is not a terminal; on a terminal, values logged inside loops update one
// status line ([position/count ...], the values, iterations per second and
// the time left), which stays when an outer loop's value is printed below
// it; --metrics writes each value with its loop positions as a JSON line.
// RUN: sluice build %s -o %t
//
// RUN: %t | FileCheck %s --check-prefix=LINES
// LINES:      loss: 3
// LINES-NEXT: loss: 2.75
// LINES-NEXT: loss: 2.5
// LINES-NEXT: epoch_loss: 2.5
// LINES-NEXT: loss: 1
// LINES:      epoch_loss: 1
// LINES-NEXT: done: 1
//
// On a terminal: the status line is redrawn in place (at most ten times a
// second, and at each loop's last step) and ended by the epoch's value.
// RUN: python3 %S/Inputs/pty-run.py %t | FileCheck %s --check-prefix=TTY
// TTY: <CR><EL>[1/2 1/3] loss 3
// TTY: <CR><EL>[1/2 3/3] loss 2.5 | {{[0-9.]+}} it/s | ETA {{[0-9]+:[0-9][0-9]}}
// TTY-NEXT: epoch_loss: 2.5
// TTY: <CR><EL>[2/2 3/3] loss 1 |
// TTY-NEXT: epoch_loss: 1
// TTY-NEXT: done: 1
// `--progress lines` keeps plain lines on a terminal.
// RUN: python3 %S/Inputs/pty-run.py %t --progress lines | FileCheck %s --check-prefix=LINES
// `--progress bar` draws it wherever the output goes.
// RUN: %t --progress=bar | python3 %S/Inputs/pty-run.py --stdin | FileCheck %s --check-prefix=TTY
//
// RUN: %t --metrics %t.jsonl > /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.jsonl
// JSON:      {"label": "loss", "value": 3, "position": [0, 0], "of": [2, 3], "seconds": {{[0-9.]+}}}
// JSON-NEXT: {"label": "loss", "value": 2.75, "position": [0, 1], "of": [2, 3], "seconds": {{[0-9.]+}}}
// JSON:      {"label": "epoch_loss", "value": 2.5, "position": [0], "of": [2], "seconds": {{[0-9.]+}}}
// JSON:      {"label": "done", "value": 1, "seconds": {{[0-9.]+}}}
// RUN: python3 -c "import json, sys; rows = [json.loads(l) for l in open(sys.argv[1])]; assert len(rows) == 9, rows; print(len(rows))" %t.jsonl
//
// Runtime options are checked before any work, and listed by --help.
// RUN: not %t --metrics /nonexistent/dir/m.jsonl 2>&1 | FileCheck %s --check-prefix=BAD-METRICS
// BAD-METRICS: progress.sl.tmp: error: cannot write the metrics file '/nonexistent/dir/m.jsonl'
// RUN: not %t --progress sometimes 2>&1 | FileCheck %s --check-prefix=BAD-PROGRESS
// BAD-PROGRESS: error: --progress expects auto, bar or lines, not 'sometimes'
// RUN: not %t --metrics 2>&1 | FileCheck %s --check-prefix=NO-VALUE
// NO-VALUE: error: --metrics needs a value
// RUN: %t --help | FileCheck %s --check-prefix=HELP
// HELP: RUNTIME OPTIONS:
// HELP-NEXT: --metrics <path>
// HELP-NEXT: --progress <auto|bar|lines>
// HELP-NOT: --checkpoint
// This program's epoch loop carries nothing, so there is nothing to
// checkpoint (examples/sage's can be: Examples/sage-resume.test).
// RUN: not %t --checkpoint %t.ck 2>&1 | FileCheck %s --check-prefix=NO-CHECKPOINT
// NO-CHECKPOINT: error: --checkpoint: this program has no training loop to checkpoint (an outermost `for` over epochs with a loop over batches inside)
pipeline p {
  for epoch in 0..2 {
    var total = 0.0
    for step in 0..3 {
      let loss = 3.0 - 2.0 * f32(epoch) - 0.5 * f32(step) * (1.0 - f32(epoch))
      total = total + loss
      log loss: total / f32(step + 1)
    }
    log epoch_loss: total / 3.0
  }
  log done: 1
}

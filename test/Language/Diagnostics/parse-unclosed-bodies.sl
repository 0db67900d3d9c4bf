// A model, optimizer or schedule whose `}` is missing runs into the end of
// the file; the error points just past its last token. (Each case is its own
// file, split from this one with its line numbers kept.)
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: not sluice check %t/model.sl 2>&1 | FileCheck %s --check-prefix=MODEL
// RUN: not sluice check %t/optimizer.sl 2>&1 | FileCheck %s --check-prefix=OPTIMIZER
// RUN: not sluice check %t/schedule.sl 2>&1 | FileCheck %s --check-prefix=SCHEDULE

//--- model.sl
model M {
  w = 1
// MODEL: model.sl:[[@LINE-1]]:8: error: expected `}` to close the model's body, found end of file

//--- optimizer.sl
optimizer O(lr: f32) {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
// OPTIMIZER: optimizer.sl:[[@LINE-1]]:4: error: expected `}` to close the optimizer's body, found end of file

//--- schedule.sl
pipeline p {
  log 1
}
schedule p {
  overlap gather depth 2
// SCHEDULE: schedule.sl:[[@LINE-1]]:25: error: expected `}` to close the schedule, found end of file

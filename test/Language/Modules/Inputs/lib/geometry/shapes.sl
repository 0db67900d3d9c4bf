// A module found through -I as `use geometry.shapes`.
let sides = 4

fn perimeter(side: f32) -> f32 {
  return f32(sides) * side
}

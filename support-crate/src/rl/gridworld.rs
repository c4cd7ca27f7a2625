//! A gridworld: the finite MDP of reinforcement-learning textbooks, with walls, terminal goal
//! and trap cells, slippery moves and a cost per step.
//!
//! The agent stands on a free cell $(x, y)$ ($x$ = column from the left, $y$ = row from the
//! bottom) and picks one of four actions, up, right, down, left (indices 0–3). With probability
//! $1 - p_{\rm slip}$ it moves as intended, with probability $p_{\rm slip}/2$ each it slips to one
//! of the two perpendicular directions; a move into a wall or off the grid leaves it in place.
//! The expected reward is
//! $$r(s, a) = r_{\rm step} + \sum_{s'\ \text{terminal}} P[s][a][s']\,R(s'),$$
//! the step reward plus the bonus $R(s')$ of the goal ($> 0$) or trap ($< 0$) it may enter;
//! terminal cells are absorbing with reward 0.
//!
//! ## Reference
//! S. Russell & P. Norvig, *Artificial Intelligence: A Modern Approach* (4th ed., 2020), §17.1
//! (the 4 × 3 world of [`Gridworld::classic`]); Sutton & Barto (2018), Example 3.5.
//!
//! Used in notebooks/24-reinforcement-learning.ipynb.

use super::Mdp;
use ndarray::{Array1, Array2, Array3};

/// The four moves as `(dx, dy)`, indexed by action: up, right, down, left.
pub const MOVES: [(i64, i64); 4] = [(0, 1), (1, 0), (0, -1), (-1, 0)];

/// Arrows for [`Plot::arrows`](crate::plot::Plot::arrows): tails and vectors.
pub type Arrows = (Vec<(f64, f64)>, Vec<(f64, f64)>);

/// Names of the four actions, for tables.
pub const ACTION_NAMES: [&str; 4] = ["up", "right", "down", "left"];

/// A rectangular gridworld; build it with [`Gridworld::new`] and the builder methods, or take
/// [`Gridworld::classic`].
///
/// # Examples
/// ```
/// use course::rl::Gridworld;
/// let grid = Gridworld::new(3, 2).wall(1, 0).goal(2, 1, 1.0).step_reward(-0.1);
/// assert_eq!(grid.n_states(), 5);           // 6 cells, one wall
/// assert_eq!(grid.cell(grid.state(2, 1)), (2, 1));
/// let mdp = grid.to_mdp(0.9);
/// assert!(mdp.terminal[grid.state(2, 1)]);
/// // Deterministic moves: "right" from (1, 1) enters the goal, reward −0.1 + 1.
/// assert!((mdp.r[[grid.state(1, 1), 1]] - 0.9).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Gridworld {
    /// Number of columns.
    pub width: usize,
    /// Number of rows.
    pub height: usize,
    /// Wall cells `(x, y)`.
    pub walls: Vec<(usize, usize)>,
    /// Terminal cells `(x, y)` and the reward for entering them (goals > 0, traps < 0).
    pub terminals: Vec<((usize, usize), f64)>,
    /// Probability of slipping to a perpendicular direction (half each side).
    pub slip: f64,
    /// Reward of every step (a cost when negative).
    pub step_reward: f64,
}

impl Gridworld {
    /// An empty `width × height` grid: no walls, no terminals, no slip, step reward 0.
    ///
    /// # Panics
    /// If either side is 0.
    pub fn new(width: usize, height: usize) -> Self {
        assert!(width > 0 && height > 0, "Gridworld::new: width and height must be > 0, got {width} × {height}");
        Gridworld { width, height, walls: Vec::new(), terminals: Vec::new(), slip: 0.0, step_reward: 0.0 }
    }

    /// Russell and Norvig's 4 × 3 world: a wall at (1, 1), the goal (+1) at (3, 2), the trap
    /// (−1) at (3, 1), slip probability 0.2, step reward −0.04.
    ///
    /// # Examples
    /// ```
    /// let grid = course::rl::Gridworld::classic();
    /// assert_eq!((grid.n_states(), grid.slip), (11, 0.2));
    /// ```
    pub fn classic() -> Self {
        Gridworld::new(4, 3).wall(1, 1).goal(3, 2, 1.0).trap(3, 1, -1.0).slip(0.2).step_reward(-0.04)
    }

    fn check_cell(&self, x: usize, y: usize, who: &str) {
        assert!(x < self.width && y < self.height, "Gridworld::{who}: cell ({x}, {y}) is outside the {} × {} grid", self.width, self.height);
    }

    /// Adds a wall at `(x, y)`.
    ///
    /// # Panics
    /// If the cell is outside the grid or already terminal.
    pub fn wall(mut self, x: usize, y: usize) -> Self {
        self.check_cell(x, y, "wall");
        assert!(!self.is_terminal_cell(x, y), "Gridworld::wall: ({x}, {y}) is already a terminal cell");
        if !self.walls.contains(&(x, y)) {
            self.walls.push((x, y));
        }
        self
    }

    /// Makes `(x, y)` a terminal cell worth `reward` on entry (a goal; use [`trap`](Self::trap)
    /// for negative rewards, it reads better).
    ///
    /// # Panics
    /// If the cell is outside the grid, a wall, or already terminal, or `reward` is not finite.
    pub fn goal(mut self, x: usize, y: usize, reward: f64) -> Self {
        self.check_cell(x, y, "goal");
        assert!(!self.walls.contains(&(x, y)), "Gridworld::goal: ({x}, {y}) is a wall");
        assert!(!self.is_terminal_cell(x, y), "Gridworld::goal: ({x}, {y}) is already terminal");
        assert!(reward.is_finite(), "Gridworld::goal: reward must be finite, got {reward}");
        self.terminals.push(((x, y), reward));
        self
    }

    /// Makes `(x, y)` a terminal cell worth `reward` (usually negative) on entry.
    ///
    /// # Panics
    /// As [`goal`](Self::goal).
    pub fn trap(self, x: usize, y: usize, reward: f64) -> Self {
        self.goal(x, y, reward)
    }

    /// Sets the slip probability.
    ///
    /// # Panics
    /// Unless `0 <= slip <= 1`.
    pub fn slip(mut self, slip: f64) -> Self {
        assert!((0.0..=1.0).contains(&slip), "Gridworld::slip: slip must be in [0, 1], got {slip}");
        self.slip = slip;
        self
    }

    /// Sets the reward of every step.
    ///
    /// # Panics
    /// If `step_reward` is not finite.
    pub fn step_reward(mut self, step_reward: f64) -> Self {
        assert!(step_reward.is_finite(), "Gridworld::step_reward: step_reward must be finite, got {step_reward}");
        self.step_reward = step_reward;
        self
    }

    fn is_terminal_cell(&self, x: usize, y: usize) -> bool {
        self.terminals.iter().any(|(c, _)| *c == (x, y))
    }

    /// The free cells (not walls), in state order: row by row from the bottom, left to right.
    pub fn cells(&self) -> Vec<(usize, usize)> {
        (0..self.height).flat_map(|y| (0..self.width).map(move |x| (x, y))).filter(|c| !self.walls.contains(c)).collect()
    }

    /// Number of states (free cells).
    pub fn n_states(&self) -> usize {
        self.width * self.height - self.walls.len()
    }

    /// The state index of cell `(x, y)`.
    ///
    /// # Panics
    /// If the cell is outside the grid or a wall.
    pub fn state(&self, x: usize, y: usize) -> usize {
        self.check_cell(x, y, "state");
        self.cells().iter().position(|&c| c == (x, y)).unwrap_or_else(|| panic!("Gridworld::state: ({x}, {y}) is a wall, not a state"))
    }

    /// The cell `(x, y)` of state `s`.
    ///
    /// # Panics
    /// If `s >= n_states`.
    pub fn cell(&self, s: usize) -> (usize, usize) {
        let cells = self.cells();
        assert!(s < cells.len(), "Gridworld::cell: s must be < n_states = {}, got {s}", cells.len());
        cells[s]
    }

    /// Where a move `(dx, dy)` from `(x, y)` ends: the neighbour, or `(x, y)` itself if the
    /// neighbour is a wall or off the grid.
    fn target(&self, (x, y): (usize, usize), (dx, dy): (i64, i64)) -> (usize, usize) {
        let (nx, ny) = (x as i64 + dx, y as i64 + dy);
        if nx < 0 || ny < 0 || nx >= self.width as i64 || ny >= self.height as i64 {
            return (x, y);
        }
        let c = (nx as usize, ny as usize);
        if self.walls.contains(&c) { (x, y) } else { c }
    }

    /// The MDP with discount `gamma`: transition tensor $P[s][a][s']$ and rewards $r(s, a)$ as in
    /// the module docs.
    ///
    /// # Panics
    /// If `gamma` is outside `[0, 1)`.
    ///
    /// # Examples
    /// ```
    /// let grid = course::rl::Gridworld::classic();
    /// let mdp = grid.to_mdp(0.9);
    /// // "Right" from (2, 2): 0.8 into the goal, 0.1 bump into the top edge, 0.1 down to (2, 1).
    /// let s = grid.state(2, 2);
    /// assert!((mdp.p[[s, 1, grid.state(3, 2)]] - 0.8).abs() < 1e-12);
    /// assert!((mdp.r[[s, 1]] - (-0.04 + 0.8)).abs() < 1e-12);
    /// ```
    pub fn to_mdp(&self, gamma: f64) -> Mdp {
        let cells = self.cells();
        let n = cells.len();
        let index = |c: (usize, usize)| cells.iter().position(|&d| d == c).expect("target is a free cell");
        let bonus: Vec<Option<f64>> = cells.iter().map(|&(x, y)| self.terminals.iter().find(|(c, _)| *c == (x, y)).map(|t| t.1)).collect();
        let mut p = Array3::zeros((n, 4, n));
        let mut r = Array2::zeros((n, 4));
        for (s, &c) in cells.iter().enumerate() {
            if bonus[s].is_some() {
                for a in 0..4 {
                    p[[s, a, s]] = 1.0;
                }
                continue;
            }
            for a in 0..4 {
                let outcomes = [(a, 1.0 - self.slip), ((a + 1) % 4, 0.5 * self.slip), ((a + 3) % 4, 0.5 * self.slip)];
                for (dir, prob) in outcomes {
                    let t = index(self.target(c, MOVES[dir]));
                    p[[s, a, t]] += prob;
                }
                r[[s, a]] = self.step_reward + (0..n).map(|t| p[[s, a, t]] * bonus[t].unwrap_or(0.0)).sum::<f64>();
            }
        }
        let terminal = bonus.iter().map(Option::is_some).collect();
        Mdp::new(p, r, gamma, terminal)
    }

    /// A state vector laid out on the grid for [`Plot::heatmap`](crate::plot::Plot::heatmap) over
    /// `(0, width) × (0, height)`: `z[[y, x]] = v[state(x, y)]`, NaN (drawn white) on walls.
    ///
    /// # Panics
    /// If `v.len() != n_states`.
    ///
    /// # Examples
    /// ```
    /// use ndarray::Array1;
    /// let grid = course::rl::Gridworld::classic();
    /// let z = grid.on_grid(&Array1::from_elem(11, 2.0));
    /// assert_eq!(z.dim(), (3, 4));
    /// assert!(z[[1, 1]].is_nan() && z[[0, 0]] == 2.0);
    /// ```
    pub fn on_grid(&self, v: &Array1<f64>) -> Array2<f64> {
        assert_eq!(v.len(), self.n_states(), "Gridworld::on_grid: v must have n_states = {} entries, got {}", self.n_states(), v.len());
        let mut z = Array2::from_elem((self.height, self.width), f64::NAN);
        for (s, (x, y)) in self.cells().into_iter().enumerate() {
            z[[y, x]] = v[s];
        }
        z
    }

    /// Arrows for a policy on the heatmap of [`on_grid`](Self::on_grid): for every non-terminal
    /// state, a tail and a vector of length 0.6 in the direction of `policy[s]`, centred in its
    /// cell. Pass them to [`Plot::arrows`](crate::plot::Plot::arrows).
    ///
    /// # Panics
    /// If `policy.len() != n_states` or an action is not in 0..4.
    ///
    /// # Examples
    /// ```
    /// let grid = course::rl::Gridworld::classic();
    /// let (tails, vectors) = grid.policy_arrows(&vec![1; 11]); // always right
    /// assert_eq!(tails.len(), 9);                                // 11 states, 2 terminal
    /// assert_eq!((tails[0], vectors[0]), ((0.2, 0.5), (0.6, 0.0)));
    /// ```
    pub fn policy_arrows(&self, policy: &[usize]) -> Arrows {
        assert_eq!(policy.len(), self.n_states(), "Gridworld::policy_arrows: policy must have n_states = {} entries, got {}", self.n_states(), policy.len());
        let (mut tails, mut vectors) = (Vec::new(), Vec::new());
        for (s, (x, y)) in self.cells().into_iter().enumerate() {
            if self.is_terminal_cell(x, y) {
                continue;
            }
            assert!(policy[s] < 4, "Gridworld::policy_arrows: policy[{s}] = {} is not an action 0..4", policy[s]);
            let (dx, dy) = MOVES[policy[s]];
            let (vx, vy) = (0.6 * dx as f64, 0.6 * dy as f64);
            tails.push((x as f64 + 0.5 - 0.5 * vx, y as f64 + 0.5 - 0.5 * vy));
            vectors.push((vx, vy));
        }
        (tails, vectors)
    }

    /// Input features of the states for a function approximator: the cell centre scaled to
    /// $[-1, 1]^2$, one row per state (`n_states × 2`).
    ///
    /// # Examples
    /// ```
    /// let grid = course::rl::Gridworld::classic();
    /// let f = grid.features();
    /// assert_eq!(f.row(grid.state(0, 0)).to_vec(), vec![-1.0, -1.0]);
    /// assert_eq!(f.row(grid.state(3, 2)).to_vec(), vec![1.0, 1.0]);
    /// ```
    pub fn features(&self) -> Array2<f64> {
        let cells = self.cells();
        let scale = |v: usize, n: usize| if n > 1 { 2.0 * v as f64 / (n - 1) as f64 - 1.0 } else { 0.0 };
        Array2::from_shape_fn((cells.len(), 2), |(s, k)| if k == 0 { scale(cells[s].0, self.width) } else { scale(cells[s].1, self.height) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_rows_are_distributions_and_slip_is_symmetric() {
        let grid = Gridworld::new(5, 4).wall(2, 1).wall(2, 2).goal(4, 3, 1.0).trap(4, 2, -1.0).slip(0.3);
        let mdp = grid.to_mdp(0.95); // Mdp::new validates the rows
        // In the open middle of the grid, "up" goes up w.p. 0.7, left/right w.p. 0.15 each.
        let s = grid.state(1, 2);
        assert!((mdp.p[[s, 0, grid.state(1, 3)]] - 0.7).abs() < 1e-12);
        assert!((mdp.p[[s, 0, grid.state(0, 2)]] - 0.15).abs() < 1e-12);
        // Right from (1, 2) hits the wall at (2, 2): stays w.p. 0.7.
        assert!((mdp.p[[s, 1, s]] - 0.7).abs() < 1e-12);
    }

    #[test]
    fn rewards_are_expected_bonuses_plus_step_cost() {
        // Brute force: average the bonus over the three outcomes by hand.
        let grid = Gridworld::classic();
        let mdp = grid.to_mdp(0.9);
        let s = grid.state(3, 0); // below the trap
        // up: 0.8 into the trap, 0.1 right bumps (stay), 0.1 left to (2, 0)
        assert!((mdp.r[[s, 0]] - (-0.04 - 0.8)).abs() < 1e-12);
        // left: 0.8 to (2, 0), 0.1 up into the trap, 0.1 down bumps
        assert!((mdp.r[[s, 3]] - (-0.04 - 0.1)).abs() < 1e-12);
    }

    #[test]
    #[should_panic(expected = "is a wall")]
    fn a_wall_is_not_a_state() {
        Gridworld::classic().state(1, 1);
    }
}

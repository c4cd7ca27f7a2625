"""The runner must catch what the Rust kernel reports as success: panics, failed exercise checks,
timeouts; and the shape check must name what a notebook lacks. Oracles: hand-made notebooks
whose verdict is known."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nbrunner import BUILD, BuildSlot, RunResult, check_shape, execute, strip_ansi, strip_solutions


def notebook(*cells):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "rust", "display_name": "Rust (course)", "language": "rust"}
    nb.cells = list(cells)
    return nb


@pytest.fixture(scope="module")
def bare_slot():
    """A build slot of its own: these notebooks load no crates."""
    s = BuildSlot.free_in(BUILD / "evcxr-runner-slots")
    with s:
        yield s


def run(tmp_path, nb, **kw):
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    result, executed = execute(path, kw.pop("slot"), **kw)
    return result, executed


def test_panic_fails_although_the_kernel_says_ok(tmp_path, bare_slot):
    nb = notebook(new_code_cell("let v = vec![1];"), new_code_cell('let i = 3;\nprintln!("{}", v[i]);'), new_code_cell("1"))
    result, _ = run(tmp_path, nb, slot=bare_slot)
    assert result.failure is not None
    assert "cell 1 panicked" in result.failure
    assert "index out of bounds" in result.failure
    assert "v[i]" in result.failure  # the source is shown
    assert "\x1b[" not in result.failure


def test_compile_error_fails_with_the_compiler_message(tmp_path, bare_slot):
    nb = notebook(new_code_cell("let x: u32 = \"text\";"))
    result, _ = run(tmp_path, nb, slot=bare_slot)
    assert result.failure is not None and "cell 0 failed (error reply)" in result.failure
    assert "mismatched types" in result.failure
    assert "\x1b[" not in result.failure


def test_failed_exercise_check_fails_the_notebook(tmp_path, bare_slot):
    nb = notebook(new_code_cell('eprintln!("exercise 99.1 not yet correct: expected 2, got 3");'))
    result, _ = run(tmp_path, nb, slot=bare_slot)
    assert result.failure is not None and "exercise check that did not pass" in result.failure


def test_notebook_over_its_time_limit_fails(tmp_path, bare_slot):
    nb = notebook(new_code_cell("1"), new_code_cell("std::thread::sleep(std::time::Duration::from_secs(120));"))
    result, _ = run(tmp_path, nb, slot=bare_slot, notebook_limit=8)
    assert result.failure is not None and "time limit of 8 s" in result.failure
    assert result.seconds < 60  # stopped at the deadline, not after the 120 s sleep


def test_kernel_death_fails_the_notebook(tmp_path, bare_slot):
    # The cell's code runs in a child of the kernel process; killing the parent kills the kernel.
    kill = 'std::process::Command::new("kill").arg("-9").arg(std::os::unix::process::parent_id().to_string()).status().unwrap();'
    nb = notebook(new_code_cell("1"), new_code_cell(kill), new_code_cell("2"))
    result, _ = run(tmp_path, nb, slot=bare_slot, notebook_limit=60)
    assert result.failure is not None and "kernel died" in result.failure, result.failure


def test_clean_notebook_passes_and_is_timed(tmp_path, bare_slot):
    nb = notebook(new_code_cell('println!("hi");'), new_code_cell("let x = 1 + 1;\nx"))
    result, executed = run(tmp_path, nb, slot=bare_slot, out_dir=tmp_path / "out")
    assert result.failure is None, result.failure
    assert [c.index for c in result.cells] == [0, 1]
    assert executed.cells[1].outputs[0]["data"]["text/plain"] == "2"
    assert (tmp_path / "out" / "nb.ipynb").exists()


def test_saved_outputs_are_not_carried_into_the_run(tmp_path, bare_slot):
    # A student saved the notebook after a run in JupyterLab; now cell 0 panics. The executed copy
    # must not show cell 1's old "correct" output as if it had run.
    stale = nbformat.v4.new_output("execute_result", data={"text/plain": "✅ Exercise 07.1: correct."})
    saved = new_code_cell("1", outputs=[stale], execution_count=7)
    nb = notebook(new_code_cell('panic!("boom");', execution_count=3), saved)
    result, executed = run(tmp_path, nb, slot=bare_slot, out_dir=tmp_path / "out")
    assert result.failure is not None and "cell 0 panicked" in result.failure
    assert executed.cells[1].outputs == [] and executed.cells[1].execution_count is None
    assert nbformat.read(tmp_path / "nb.ipynb", as_version=4).cells[1].outputs  # the student's file is untouched


def test_budget_flags_before_the_limit_fails():
    assert not RunResult("a", seconds=59.9, budget=60.0).over_budget
    assert RunResult("b", seconds=60.1, budget=60.0).over_budget
    assert RunResult("b", seconds=60.1, budget=60.0).to_json()["over_budget"] is True
    assert not RunResult("c", seconds=500.0).over_budget  # no budget (runner self-tests)


SVG = '<svg width="1" height="1">\n<title>{}</title>\n</svg>'


def figure_output(title):
    return nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG.format(title)})


def complete_lesson():
    title = new_markdown_cell("# 07 — Something\n\n**Seed topics:** x.\n\n## Goals\n- a\n\n## References\n- b")
    fig1 = new_code_cell("Plot::new(\"a\")", outputs=[figure_output("First")])
    fig2 = new_code_cell("Plot::new(\"b\")", outputs=[figure_output("Second")])
    asserts = [new_code_cell(f"check::close(\"c{i}\", 1.0, 1.0, 0.0);") for i in range(3)]
    sol = [new_code_cell("let a = 1;", metadata={"tags": ["solution"]}) for _ in range(2)]
    ok = nbformat.v4.new_output("execute_result", data={"text/plain": "✅ Exercise 07.1: correct."})
    ex = [new_code_cell(f"exercises::nb07::check_q{i}(&a)", outputs=[ok]) for i in (1, 2)]
    return notebook(title, fig1, fig2, *asserts, sol[0], ex[0], sol[1], ex[1])


def test_shape_of_a_complete_lesson_passes():
    assert check_shape(complete_lesson(), "07") == []


def test_shape_names_each_missing_part():
    nb = complete_lesson()
    nb.cells[0].source = "# 07 — Something\n\nNo goals here."
    nb.cells[2].outputs = [figure_output("")]
    del nb.cells[3:5]
    nb.cells[-1].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "❌ Exercise 07.2: not yet correct."})]
    problems = "\n".join(check_shape(nb, "07"))
    assert "lacks a 'Goals' heading" in problems
    assert "lacks a 'References' heading" in problems
    assert "lacks the seed topics" in problems
    assert "1 figure(s) without a title" in problems
    assert "at least 3 cells that assert mathematics" in problems
    assert "without a passing (✅) output: check_q2" in problems


def test_shape_flags_a_check_from_another_notebook_and_missing_solutions():
    nb = complete_lesson()
    nb.cells[-1].source = "exercises::nb03::check_q2(&a)"
    for c in nb.cells:
        c.metadata.pop("tags", None)
    problems = "\n".join(check_shape(nb, "07"))
    assert "calls exercises::nb03::check_q2, but this is notebook 07" in problems
    assert "at least 2 exercises" in problems
    assert "tagged 'solution'" in problems


def test_strip_ansi_and_student_edition():
    assert strip_ansi("\x1b[31m[E0425] Error:\x1b[0m x") == "[E0425] Error: x"
    student = strip_solutions(complete_lesson())
    sols = [c for c in student.cells if "solution" in c.metadata.get("tags", [])]
    assert all("todo!()" in c.source for c in sols)
    assert all(not c.outputs for c in student.cells if c.cell_type == "code")

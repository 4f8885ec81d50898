"""A made-up class of case files, varied from the example case, for trying a class build.

Educators can use it to rehearse a workshop; the tests and the benchmark use it to build many
letters at once. Each generated case changes the patient, the dose, the journal style and the
order in which the discussion cites its references, so no two letters are alike.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from caseletter.paths import example_case, find_project_bib

EXAMPLE = example_case()
DOSES = ["12.5 g", "10 g", "15 g", "25 g", "12.5 g", "20 g"]
FREQUENCIES = ["3 times weekly", "twice weekly", "once weekly"]


def make_class(folder: Path, count: int, broken: tuple[int, ...] = ()) -> list[Path]:
    """Write `count` case files (and their figures and a references.bib) into `folder`.

    Args:
        folder: where the cases go (created); the .bib goes beside them.
        count: how many cases.
        broken: indexes of cases to break on purpose (a citation key that no .bib holds).
    """
    from ruamel.yaml import YAML

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(find_project_bib(EXAMPLE), folder / "references.bib")
    yaml = YAML()
    template = EXAMPLE.read_text(encoding="utf-8")
    cases = []
    for i in range(count):
        name = f"trainee-{i + 1:02d}"
        data = yaml.load(template)
        vary_case(data, i, name)
        if i in broken:
            data["opening"] = data["opening"] + " [@nosuchkey2020]"
        shutil.copytree(EXAMPLE.parent / "figures" / EXAMPLE.stem, folder / "figures" / name, dirs_exist_ok=True)
        path = folder / f"{name}.yaml"
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
        cases.append(path)
    return cases


def vary_case(data, i: int, name: str) -> None:
    """Change the patient, the regimen, the journal and the citation order of case `i`."""
    data["title"] = f"{data['title']} (case {i + 1})"
    data["journal"] = "cutis" if i % 2 == 0 else "ama"
    data["patient"]["age"] = 30 + (i * 7) % 50
    data["patient"]["sex"] = "female" if i % 3 else "male"
    data["case"]["presentation"] = data["case"]["presentation"].replace(
        "54-year-old woman", f"{data['patient']['age']}-year-old {'woman' if i % 3 else 'man'}"
    )
    phase = data["interventions"][0]["phases"][0]
    phase["dose"] = DOSES[i % len(DOSES)]
    phase["frequency"] = FREQUENCIES[i % len(FREQUENCIES)]
    paragraphs = list(data["discussion"])
    shift = i % len(paragraphs)
    data["discussion"] = paragraphs[shift:] + paragraphs[:shift]
    for fig in data["figures"]:
        if "file" in fig:
            fig["file"] = fig["file"].replace("sts-calcinosis", name)
        for panel in fig.get("panels", []):
            panel["file"] = panel["file"].replace("sts-calcinosis", name)

"""Packaging details pyproject.toml cannot say: the top-level `resources/` folder ships inside the
package as `asb_desktop/resources`, so an installed copy finds its fonts, icons and schema."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["asb_desktop*", "asb_central*"]),
        "asb_desktop.resources",
    ],
    package_dir={"asb_desktop.resources": "resources"},
    package_data={
        "asb_desktop": ["py.typed"],
        "asb_desktop.resources": ["**/*"],
        "asb_desktop.store": ["migrations/*.py", "migrations/*.mako", "migrations/versions/*.py"],
        "asb_central": [
            "README.md",
            "migrations/*.py",
            "migrations/*.mako",
            "migrations/versions/*.py",
        ],
    },
)

#!/usr/bin/env bash
# Runs once when the Codespace or dev container is created: assets, a Release build, the course kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
dotnet build Course.sln -c Release
dotnet run --project lib/Course.Notebooks -c Release --no-build -- kernel install --user
echo "Ready: open notebooks/00-problem-framing.ipynb and pick the 'C# (Course)' kernel if asked."

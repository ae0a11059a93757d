// placeholder: the VS Code client lands here

namespace Course.Jupyter;

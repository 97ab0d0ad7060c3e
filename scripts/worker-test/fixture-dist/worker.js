// fixture worker

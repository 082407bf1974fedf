module infraops/rpcconformance

go 1.22

module infraops/gobconformance

go 1.22

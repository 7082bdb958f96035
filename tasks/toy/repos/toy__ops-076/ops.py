def div(a, b): return a / b
def double(x): return x // 2
def sub(a, b): return a - b
def rem(a, b): return a % b
